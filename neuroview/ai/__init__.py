"""On-device segmentation models: the only package that imports torch (lazily).

``neuroview.ai.api`` (cards, requests, results) and this module import without torch;
:func:`segment_volume` and :func:`flip_probabilities` load torch when they run.
"""

from __future__ import annotations

import os

# Idle OpenMP threads sleep instead of spinning (libgomp spins 300000 rounds by default). The
# bundled models run thousands of small parallel regions (32^3 patches, 8 channels); on a CPU shared
# with other work a thread that spins while its partner is descheduled burnt 5-6x the CPU time of
# the work itself: 69 s instead of 11 s for one uncertainty map (bench/uncertainty_threads.py). Read
# by libgomp when torch loads it, so it is set here, before this package imports torch; a value
# the user set wins. The thread count, and so every result, is unchanged.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

MALLOC_MMAP_THRESHOLD = 32 * 2 ** 20
MALLOC_TRIM_THRESHOLD = 256 * 2 ** 20


def _reuse_freed_memory() -> None:
    """Let glibc keep freed memory for the next allocation of the same size. Its default gives
    buffers over 128 KiB back to the system when they are freed (its threshold grows only with the
    buffers it sees), so every layer of a network, every patch of the sliding window, asked the
    kernel for fresh zeroed pages again: a fifth of the processor time of deepbet's fine network
    (0.14 s system time of 0.69 s for a 160^3 pass, 42 600 page faults; 0.005 s and 1 300 with
    buffers up to 32 MiB from the heap and up to 256 MiB of free heap kept). Values the user set
    (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_TOP_PAD_``) win; nothing is
    done outside glibc. Every result is unchanged."""
    import sys

    if not sys.platform.startswith("linux") or any(
            name in os.environ for name in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
                                            "MALLOC_TOP_PAD_")):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt to speak of)
        return
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    mallopt(-3, MALLOC_MMAP_THRESHOLD)   # M_MMAP_THRESHOLD
    mallopt(-1, MALLOC_TRIM_THRESHOLD)   # M_TRIM_THRESHOLD


_reuse_freed_memory()


def segment_volume(volume, model_ref: str = "", device: str = "auto", progress=None, cancel=None,
                   mirror: bool = False):
    """Segment ``volume`` (a Volume, or one Volume per input channel) with a registry model.

    Returns ``(labels, segments, model, device)``: a uint8 array on the volume's own grid, a list of
    ``(value, name, (r, g, b))``, the model's ``name@version`` and the device used. ``progress``
    is called as ``progress(done, total, text)`` after each patch; setting ``cancel`` (a
    :class:`neuroview.core.jobs.CancelToken`) stops it within one patch with ``Cancelled``.
    """
    from ..core.jobs import job_arguments
    from .segment import segment_volume as _segment_volume

    job_arguments(progress, cancel)
    return _segment_volume(volume, model_ref, device, progress, cancel, mirror)


def flip_probabilities(volume, model_ref: str = "", flips=((), (0,), (1,), (2,)), device: str = "auto",
                       progress=None, cancel=None, lazy: bool = False,
                       allow_domain_mismatch: bool = False):
    """Foreground probability (1 - p(background)) of a registry model under test-time flips.

    ``flips`` are tuples of the volume's array axes (``()`` is the image as is). The image is
    reoriented, normalised and resampled to the model's grid once; each flip is one sliding-window
    pass whose output is flipped back and resampled linearly onto the volume's own grid.
    Returns a float32 array ``(len(flips), *volume.shape)``; with ``lazy=True`` an iterable of one
    array per flip instead (computed as it is consumed; ``.model`` holds ``name@version``).
    ``progress``/``cancel`` as for :func:`segment_volume`. An image outside the card's domain is
    refused unless ``allow_domain_mismatch`` (its ``.outside_domain`` then says why, lazy).
    """
    from ..core.jobs import job_arguments
    from .uncertainty import FlipProbabilities
    from .uncertainty import flip_probabilities as _flip_probabilities

    job_arguments(progress, cancel)
    if lazy:
        return FlipProbabilities(volume, model_ref, flips, device, progress, cancel,
                                 allow_domain_mismatch=allow_domain_mismatch)
    return _flip_probabilities(volume, model_ref, flips, device, progress, cancel,
                               allow_domain_mismatch=allow_domain_mismatch)


__all__ = ["flip_probabilities", "segment_volume"]
