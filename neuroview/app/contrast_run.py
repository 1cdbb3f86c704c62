"""A window for a 4D CT run whose values rise over time (a CT perfusion's bolus, a dynamic CT
angiogram), offered in the *Window preset* box (and opened at where the file names no window,
a NIfTI run): *Contrast run*, the header's window (else the CT's opening preset) with
its bottom kept and its top raised by the run's peak enhancement, so a vessel at the bolus's
peak still reads below white and the cine shows the contrast come and go.

The header of a CT perfusion run names the brain window (80/40) on every time point; at it
an artery at 40 + 500 HU is white from its first enhanced time point to its last, the
arrival, peak and wash-out alike (what a walk through a perfusion run found). A series still
opens at its header's window (the brain reads as the operator chose, as other viewers open
it); this window is one choice away for following the contrast.

The rise is measured on a sample of voxels (about 250,000 a time point): each voxel's highest
value over the run less its first time point's, where the first is soft tissue or blood (-100
to 150 HU: air and bone that move, a 4D lung CT's diaphragm, are not enhancement); the 99.9th
percentile of those rises is the run's peak (the brightest vessels, not one noisy voxel). A
run whose peak stays within half the window (no contrast to speak of) keeps the header's."""

from __future__ import annotations

import numpy as np

CONTRAST_RUN = "Contrast run"
BASELINE_HU = (-100.0, 150.0)
"""A voxel's first value that can enhance: soft tissue and blood, not air or bone."""
RISE_PERCENTILE = 99.9
SAMPLED_PER_FRAME = 250_000


def contrast_run_window(volume, ct_window) -> tuple[float, float] | None:
    """``(window, level)`` of *Contrast run* for a 4D run whose contrast rises past the top of
    ``ct_window()`` (its window without this: ``None`` where it is no CT); ``None`` for any
    other image. Once per array (a sample of its voxels: 31-56 ms for a 512x512x64x6 run)."""
    if volume is None or volume.array.ndim != 4 or volume.axis4 != "time" or volume.n_frames < 2:
        return None
    return volume.remembered("contrast run window", lambda: _widened(volume, ct_window()))


def _widened(volume, ct_window) -> tuple[float, float] | None:
    if ct_window is None:
        return None
    window, level = ct_window
    bottom, top = level - window / 2, level + window / 2
    array = volume.array
    step = max(1, int(round((array[..., 0].size / SAMPLED_PER_FRAME) ** (1 / 3))))
    sample = np.asarray(array[::step, ::step, ::step, :], np.float32)
    first = sample[..., 0]
    soft = (first > BASELINE_HU[0]) & (first < BASELINE_HU[1])
    if np.count_nonzero(soft) < 100:
        return None
    peak = float(np.percentile((sample.max(axis=3) - first)[soft], RISE_PERCENTILE))
    if peak <= window / 2:
        return None
    top = float(np.ceil(top + peak))
    return top - bottom, (top + bottom) / 2
