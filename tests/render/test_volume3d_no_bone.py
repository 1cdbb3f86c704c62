"""A CT with no bone in it opens with a 3D view that draws it: GE's 16x16 CT thumbnails in
pydicom's test files (dicomdirtests 98892001/CT5N: 16x16x5, 0.49 mm pixels, at most 85 HU) read as
a head by their size, and opened at "CT bone", transparent below 150 HU: an empty 3D view. The
same kind of image here: soft tissue (40-85 HU) and fat in air, a 7.8 mm field of view."""

from __future__ import annotations

import numpy as np

from neuroview.app.view_presets import opening_3d_preset
from neuroview.core.volume import Volume
from neuroview.render.volume3d import Scene3D

SIZE = 160


def _thumbnail_ct() -> Volume:
    yy, xx = np.mgrid[:16, :16] - 7.5
    slab = np.where(np.hypot(yy, xx) < 6.5, 45.0, -1000.0)   # air, as a head
    slab[np.hypot(yy - 2, xx + 1) < 2.5] = -100.0     # fat
    hu = np.stack([slab + 8 * k for k in range(5)], axis=2).astype(np.int16)   # up to 77 HU
    return Volume(hu, np.diag([0.488281, 0.488281, 2.5, 1.0]), modality="CT", intensity_unit="HU")


def _drawn_fraction(volume: Volume, preset: str) -> float:
    scene = Scene3D(SIZE, SIZE)
    try:
        scene.set_volume(volume, preset)
        rgb = scene.render(SIZE, SIZE).astype(int)
    finally:
        scene.close()
    body = rgb[: SIZE * 3 // 4, SIZE // 4:]   # not the orientation cube in the lower left
    return float((np.abs(body - rgb[0, 0]).sum(axis=2) > 30).mean())


def test_a_ct_without_bone_opens_at_a_preset_that_draws_it():
    volume = _thumbnail_ct()
    preset = opening_3d_preset(volume)
    assert preset == "CT soft tissue"            # was "CT bone"
    assert _drawn_fraction(volume, "CT bone") == 0.0   # why: nothing reaches 150 HU
    assert _drawn_fraction(volume, preset) > 0.2
