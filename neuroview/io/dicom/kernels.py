"""Reconstructions of one CT with different kernels stored under one SeriesInstanceUID.

A scanner may reconstruct one acquisition twice, soft-tissue and bone (ConvolutionKernel B30f and
B70f, FC13 and FC51), and store both under one series. Where each kernel holds the same slice
positions, they stack as time points of one 4D series, as dcm2niix stacks them. Where they do not
(6 slices 4 mm apart with B30f, 11 slices 2 mm apart with B70f), no reading of them is one volume:
the 4D series filled 5 slices of its first time point from the other kernel, and dcm2niix mixes
them into one 17-slice volume. Each kernel is then its own series, named by its kernel, as a
reader asks for them ("the bone kernel"). A localizer's kernel (a topogram's T80s) splits
nothing: it goes with the series' largest reconstruction, and grouping keeps it apart there.
"""

from __future__ import annotations

import numpy as np

from .refs import FrameRef

KERNEL_NOTE = ("reconstruction kernel {kernel}: one of {count} kernels stored in this series "
               "({kernels}) whose slices lie at different positions; kept as a series of its own")


def _positions(blocks: list[list[FrameRef]]) -> frozenset | None:
    found = set()
    for block in blocks:
        for ref in block:
            if ref.position is None:
                return None
            found.add(tuple(np.round(ref.position, 2)))
    return frozenset(found)


def split_kernels(blocks: list[list[FrameRef]]) -> list[tuple[str, list[list[FrameRef]]]]:
    """(kernel, its blocks) per reconstruction kernel of ``blocks`` (one kind of one series), in
    order of appearance, where the kernels' slice positions differ; else ``[("", blocks)]``."""
    by_kernel: dict[str, list[list[FrameRef]]] = {}
    localizers = []
    for block in blocks:
        if block[0].localizer:
            localizers.append(block)
        else:
            by_kernel.setdefault(block[0].kernel, []).append(block)
    if len(by_kernel) < 2:
        return [("", blocks)]
    positions = [_positions(found) for found in by_kernel.values()]
    if None in positions or len(set(positions)) == 1:  # one time series (or nothing to tell)
        return [("", blocks)]
    largest = max(by_kernel, key=lambda kernel: len(by_kernel[kernel]))
    by_kernel[largest] = by_kernel[largest] + localizers
    return sorted(by_kernel.items())


def kernel_note(kernel: str, kernels: list[str]) -> str:
    """The line said on the series of one kernel split off by :func:`split_kernels`."""
    return KERNEL_NOTE.format(kernel=kernel, count=len(kernels), kernels=", ".join(kernels))
