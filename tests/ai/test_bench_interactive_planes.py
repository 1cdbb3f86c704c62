"""bench/interactive.py draws its axial, coronal and sagittal boxes on those planes in RAS, also
on a volume stored in a sagittal scanner's axis order (issue #12's heads): it drew the "axial"
box across voxel axis 2, which there is not S, so the box lay on another plane."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
interactive = pytest.importorskip("interactive")


@pytest.mark.parametrize("columns", [np.eye(3), np.array([[0, 0, -1], [1, 0, 0], [0, -1, 0]], float)])
def test_a_box_on_each_plane_lies_on_that_plane_in_ras(columns):
    from neuroview.ai.interactive.simulate import box_on_slice

    affine = np.eye(4)
    affine[:3, :3] = columns * 1.0
    lesion = np.zeros((30, 34, 38), bool)
    grid = np.indices(lesion.shape)
    lesion[(((grid - np.array([15, 17, 19])[:, None, None, None]) / np.array([6, 8, 10])[:, None, None, None])
            ** 2).sum(0) <= 1] = True
    for plane, ras_axis in (("axial", 2), ("coronal", 1), ("sagittal", 0)):
        lo, hi = box_on_slice(lesion, interactive._voxel_axis(affine, ras_axis))
        corners = [affine[:3, :3] @ c + affine[:3, 3] for c in (lo, hi)]
        assert corners[0][ras_axis] == corners[1][ras_axis], plane  # flat across the plane's normal
        assert all(corners[0][a] != corners[1][a] for a in range(3) if a != ras_axis), plane
