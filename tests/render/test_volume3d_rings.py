"""A smooth sphere on a fine grid is volume rendered smooth, not in concentric rings (wood grain).

The ray caster took a fixed 1 mm step along each ray: on a 0.25 mm grid (a specimen or 7 T MR)
that stepped over 4 voxels, and where the sphere faces the camera the picture showed rings, one
per step further inside the surface. The step is now no more than the smallest voxel
(``render.prepare3d.sample_distance``). The measure: the radial profile of the picture (mean grey
at each distance from the sphere's centre on screen) less its own smooth trend, as RMS grey
levels; the same sphere in voxels on a 1 mm grid, where 1 mm is one voxel, is the reference.
Measured (300x300 picture, a ball of 51 voxels' radius): MR default 1.15 before, 0.66 now, 0.51
on the 1 mm grid; CT soft tissue (translucent: the 1 mm grid's voxel edge is 4 times as deep,
more of it shows) 0.64 before, 0.20 now, 0.46 on the 1 mm grid.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from scipy.special import erfc

from neuroview.core.volume import Volume
from neuroview.render.volume3d import Scene3D

SIZE = 300
VOXELS = 128


def _sphere(voxel_mm: float, ct: bool) -> Volume:
    """A uniform ball of 0.4 * VOXELS voxels' radius, its edge blurred over a voxel (as a
    scanner's), in air (CT, HU) or in 0 (MR)."""
    centre = (VOXELS - 1) / 2
    radius = np.linalg.norm(np.indices((VOXELS,) * 3).transpose(1, 2, 3, 0) - centre, axis=-1)
    inside = 0.5 * erfc((radius - 0.4 * VOXELS) / (np.sqrt(2) * 1.0))
    affine = np.diag([voxel_mm, voxel_mm, voxel_mm, 1.0])
    affine[:3, 3] = -centre * voxel_mm
    if ct:
        return Volume((-1000 + 1040 * inside).astype(np.float32), affine, modality="CT",
                      intensity_unit="HU")
    return Volume((100 * inside).astype(np.float32), affine)


def _ripple(volume: Volume, preset: str) -> float:
    scene = Scene3D(SIZE, SIZE)
    try:
        scene.set_volume(volume, preset)
        grey = scene.render(SIZE, SIZE).astype(float).mean(axis=2)
    finally:
        scene.close()
    drawn = grey > grey[0, 0] + 20
    assert 0.1 < drawn.mean() < 0.9, "the sphere is not framed in the picture"
    rows, cols = np.nonzero(drawn)
    distance = np.hypot(*(np.indices(grey.shape) - np.array([rows.mean(), cols.mean()])[:, None, None]))
    inner = int(0.8 * np.sqrt(drawn.sum() / np.pi))   # up to 80 % of the sphere's radius on screen
    profile = ndimage.mean(grey, np.minimum(distance.astype(int), inner), index=np.arange(inner))
    trend = ndimage.gaussian_filter1d(profile, 3, mode="nearest")
    return float(np.sqrt(np.mean((profile - trend) ** 2)))


@pytest.mark.parametrize("preset, limit", [("MR default", 1.5), ("CT soft tissue", 1.0)])
def test_a_sphere_on_a_fine_grid_is_drawn_without_rings(preset, limit):
    ct = preset.startswith("CT")
    fine, reference = _ripple(_sphere(0.25, ct), preset), _ripple(_sphere(1.0, ct), preset)
    assert fine < limit * reference, (
        f"{preset}: the 0.25 mm sphere's radial profile ripples {fine:.2f} grey levels RMS, "
        f"the 1 mm one's {reference:.2f}: drawn in rings")
