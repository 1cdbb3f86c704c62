"""The *Auto* window of a CT starts at air: padding outside the scanner's field of view (-3024 HU
in dcm2niix's NIfTI of a GE CT, which keeps the padding's number) is darker than anything
measured, and took the window's bottom with it: air was drawn mid-grey, the window 4,000 HU wide."""

from __future__ import annotations

import numpy as np

from neuroview.app.view_presets import AUTO, preset_window_level
from neuroview.core.volume import Volume


def _head_ct(padding: float) -> np.ndarray:
    """[i, j, k] HU: air around a skull ring and brain, ``padding`` outside a round field of view."""
    x = np.arange(64) - 31.5
    r = np.hypot(*np.meshgrid(x, x, indexing="ij"))
    slab = np.where(r < 24, 1000.0, -1000.0)
    slab = np.where(r < 21, 35.0, slab)
    slab[r > 31] = padding
    noise = np.random.default_rng(2).normal(0, 5, (64, 64, 12))
    return (slab[:, :, None] + noise * (slab[:, :, None] != padding)).astype(np.float32)


def _shown_grey(value: float, width: float, level: float) -> float:
    return float(np.clip((value - (level - width / 2)) / width, 0, 1) * 255)


def test_auto_window_of_a_padded_ct_nifti_draws_air_black():
    volume = Volume(_head_ct(-3024.0), np.eye(4))   # a NIfTI: a CT by its voxels
    width, level = preset_window_level(AUTO, volume)
    assert level - width / 2 > -1100                    # was -3024
    assert _shown_grey(-1000.0, width, level) < 10        # air: black (was grey 127)
    assert _shown_grey(35.0, width, level) > 40           # brain above it


def test_auto_window_of_a_ct_without_padding_is_unchanged():
    image = _head_ct(-1000.0)
    width, level = preset_window_level(AUTO, Volume(image, np.eye(4), modality="CT",
                                                    intensity_unit="HU"))
    lo, hi = np.percentile(image, [0.5, 99.5])
    assert np.isclose(level - width / 2, lo) and np.isclose(level + width / 2, hi)
