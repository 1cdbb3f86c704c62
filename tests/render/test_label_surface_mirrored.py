"""Label surfaces of an image whose affine mirrors (LAS, LPS: most NIfTI files from scanners and
dcm2niix) were drawn black in the 3D view and ``neuroview snapshot --view 3d`` (session 32, a walk
of the command line): the mirror turned their triangles' fronts inwards, away from the light.
They are now lit as those of the same image stored RAS."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.view_state import ViewerState
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.core.volume import Volume

ORANGE = (255, 64, 0)


def _case(mirrored: bool):
    """A dark image with a ball labelled orange; the same voxels in RAS or mirrored storage."""
    shape = (40, 40, 40)
    ijk = np.indices(shape).transpose(1, 2, 3, 0) - 19.5
    ball = (np.linalg.norm(ijk, axis=-1) < 9).astype(np.uint8)
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    affine[:3, 3] = -39.0
    if mirrored:   # i runs right to left: the same world, stored LAS
        ball = ball[::-1].copy()
        affine[0, 0], affine[0, 3] = -2.0, 39.0
    image = np.zeros(shape, np.float32)
    image[0, 0, 0] = 1.0   # not blank, so the volume is set up, and nearly all transparent
    table = SegmentTable()
    table.add("lesion", color=ORANGE, value=1)
    return Volume(image, affine), LabelMap(ball, affine, table)


def _surface_pixels(mirrored: bool) -> np.ndarray:
    from neuroview.cli.snapshot import render_picture

    volume, labels = _case(mirrored)
    rgb = render_picture(volume, ViewerState.for_volume(volume), "3d", 200, 200, labels)
    background = rgb[2, 100].astype(int)
    centre = rgb[88:112, 88:112].reshape(-1, 3).astype(int)   # inside the ball (50 px across)
    assert np.abs(centre - background).sum(axis=1).min() > 0, "no surface drawn at the centre"
    return centre


@pytest.mark.parametrize("mirrored", [False, True])
def test_the_ball_is_lit_orange_in_ras_and_in_mirrored_storage(mirrored):
    centre = _surface_pixels(mirrored)
    red, green, blue = centre.mean(axis=0)
    assert red > 120 and red > 2 * green and red > 2 * blue, (mirrored, red, green, blue)


def test_mirrored_storage_draws_the_ball_as_ras_does():
    difference = np.abs(_surface_pixels(True).mean(axis=0) - _surface_pixels(False).mean(axis=0))
    assert difference.max() < 25, difference
