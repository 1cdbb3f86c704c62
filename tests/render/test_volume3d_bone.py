"""The 'CT bone' 3D preset draws cortical bone (700-2000 HU) bright, whatever the voxel size.

A skull-like shell (bone around 40 HU brain, air outside) is seen from the front: the middle of
the picture is the shell facing the camera. Until session 22 a 700 HU skull on a 1.5 mm grid was
drawn at grey 137 of 255, 107 on a 2 mm grid (now about 205): the CPU ray caster's ambient term
multiplies the light's ambient colour (black by default), and it turns the light into the
volume's frame through the actor's matrix without normalising it, so the voxel sizes in that
matrix scaled the diffuse light (half on a 2 mm grid, twice on a 0.5 mm one).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from neuroview.core.volume import Volume
from neuroview.render.volume3d import Scene3D

SIZE = 160


def _skull(bone_hu: float, voxel_mm: float = 1.5, slice_mm: float | None = None) -> Volume:
    """A 66 mm ball: bone from 60 mm out, brain inside, air around; voxels of ``voxel_mm`` (and
    slices ``slice_mm`` apart, as a CT's thicker slices)."""
    slice_mm = slice_mm or voxel_mm
    sizes = np.array([voxel_mm, voxel_mm, slice_mm])
    shape = tuple(int(n) for n in np.ceil(150 / sizes))
    centre = (np.array(shape) - 1) / 2
    mm = (np.indices(shape).transpose(1, 2, 3, 0) - centre) * sizes
    radius = np.linalg.norm(mm, axis=-1)
    hu = np.full(shape, -1000.0, np.float32)
    hu[radius < 66] = bone_hu
    hu[radius < 60] = 40
    hu = ndimage.gaussian_filter(hu, 1.0 / sizes).astype(np.int16)  # a scanner's 1 mm blur
    affine = np.diag([*sizes, 1.0])
    affine[:3, 3] = -centre * sizes
    return Volume(hu, affine, modality="CT", intensity_unit="HU")


def _brightness(volume: Volume) -> float:
    """Mean grey level (0-255) of the middle of the picture: the bone facing the camera."""
    scene = Scene3D(SIZE, SIZE)
    try:
        scene.set_volume(volume, "CT bone")
        assert scene.preset == "CT bone"
        rgb = scene.render(SIZE, SIZE).astype(float)
    finally:
        scene.close()
    middle = slice(SIZE * 3 // 8, SIZE * 5 // 8)
    return float(rgb[middle, middle].mean())


def test_cortical_bone_of_700_hu_is_drawn_nearly_as_bright_as_2000_hu():
    dense, cortical = _brightness(_skull(2000)), _brightness(_skull(700))
    assert cortical > 170, f"a 700 HU skull drawn at grey {cortical:.0f} of 255"
    assert cortical > 0.85 * dense, (cortical, dense)


@pytest.mark.parametrize("voxel_mm,slice_mm", [(0.8, None), (2.0, None), (0.8, 3.0)])
def test_bone_is_lit_the_same_on_fine_coarse_and_thick_slice_grids(voxel_mm, slice_mm):
    reference = _brightness(_skull(1000, 1.25))
    other = _brightness(_skull(1000, voxel_mm, slice_mm))
    assert abs(other - reference) < 0.15 * reference, (other, reference)
