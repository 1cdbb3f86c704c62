"""Reconstructions of one CT with different kernels stored under one SeriesInstanceUID.

A scanner may reconstruct one acquisition twice, soft-tissue and bone (ConvolutionKernel B30f and
B70f, FC13 and FC51), and store both under one series. No reading of them is one volume: where
the kernels' slices lie apart (6 slices 4 mm apart with B30f, 11 slices 2 mm apart with B70f) the
4D series filled 5 slices of its first time point from the other kernel (dcm2niix mixes them
into one 17-slice volume); where they lie at the same positions, a 4D series of two "time
points" (as dcm2niix 1.0.20260724 stacks them) showed the bone kernel as the soft tissue's next
time point, under the time slider. Each kernel is its own series, named by its kernel, as a
reader asks for them ("the bone kernel"); images that name no kernel beside them are one
series more, "(no kernel)". A localizer's kernel (a topogram's T80s) splits nothing: it
goes with the series' largest reconstruction, and grouping keeps it apart there; so does a
secondary capture's (a dose page names no kernel: it was a series "(no kernel)").
"""

from __future__ import annotations

from .refs import FrameRef, split_blocks

NO_KERNEL = "no kernel"
KERNEL_NOTE = ("reconstruction kernel {kernel}: one of {count} kernels stored in this series "
               "({kernels}); kept as a series of its own")


def split_kernels(blocks: list[list[FrameRef]]) -> list[tuple[str, list[list[FrameRef]]]]:
    """(kernel, its blocks) per reconstruction kernel of ``blocks`` (:func:`~.refs.split_blocks`);
    images naming none beside others are :data:`NO_KERNEL`'s."""
    return split_blocks(blocks, lambda ref: ref.kernel or NO_KERNEL)


def kernel_note(kernel: str, kernels: list[str]) -> str:
    """The line said on the series of one kernel split off by :func:`split_kernels`."""
    return KERNEL_NOTE.format(kernel=kernel, count=len(kernels), kernels=", ".join(kernels))
