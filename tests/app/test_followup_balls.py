"""The follow-up tests' made-up lesions (``followup_cases.balls``), each ball measured on its own
box of voxels, are the voxels the whole-grid computation gives: on the grids and poses the
follow-up tests draw them on (axis-aligned, tilted and turned upside down; 1.8-6 mm voxels), with
balls cut by the grid's edge and balls outside it."""

from __future__ import annotations

import numpy as np
import pytest

from tests.app.followup_cases import (
    LESIONS,
    MERGE_CENTRES,
    TRACKED,
    balls,
    balls_on_whole_grid,
    grid,
    rigid,
)

CASES = [((2.0, 2.0, 2.0), (0.0, 0.0, 0.0), "straight"),
         ((2.4, 1.8, 2.2), (20.0, -5.0, 15.0), "tilted"),
         ((3.2, 2.8, 3.0), (12.0, -6.0, 9.0), "upside down"),
         ((6.4, 5.6, 6.0), (12.0, -6.0, 9.0), "straight"),
         ((1.9, 2.3, 2.1), (-30.0, 10.0, -40.0), "tilted")]


@pytest.mark.parametrize("spacing, margin, pose", CASES)
def test_balls_are_the_whole_grid_computation(mni_volume, spacing, margin, pose):
    shape, affine = grid(mni_volume, spacing, margin)
    if pose == "tilted":   # a header with an oblique grid, turned 10-20 degrees about each axis
        affine = rigid((10.0, -15.0, 20.0), (3.0, -2.0, 1.0), mni_volume.center_ras) @ affine
    elif pose == "upside down":
        affine = np.diag([1.0, -1.0, -1.0, 1.0]) @ affine
    moved = rigid((12.0, -8.0, 10.0), (15.0, -12.0, 18.0), mni_volume.center_ras)
    drawn = [lesion.centre_ras for lesion in LESIONS] + list(MERGE_CENTRES) + [
        point for points, _, _ in TRACKED.values() for point in points]
    centres = [tuple(c) for c in drawn] + [tuple(moved[:3, :3] @ c + moved[:3, 3]) for c in drawn]
    radii = [2.0 + (3.7 * n) % 9.0 for n in range(len(centres))]   # 2-11 mm, not whole voxels
    corner = affine[:3, 3]
    centres += [tuple(corner), tuple(corner - 30.0)]   # cut by the grid's edge; outside it
    radii += [9.0, 5.0]
    got = balls(shape, affine, centres, radii)
    assert np.array_equal(got, balls_on_whole_grid(shape, affine, centres, radii))
    assert got.dtype == np.uint8 and got.shape == shape
    assert got[0, 0, 0] == 1   # the ball cut by the grid's edge is drawn at its corner voxel
