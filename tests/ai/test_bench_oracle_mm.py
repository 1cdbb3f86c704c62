"""bench/interactive.py's threshold oracle measures its neighbourhoods in mm: the image smoothed by
0.5 mm, the surroundings 1-4 mm outside the lesion and the kept part within 3 mm of it. It counted
voxels: on a 3 mm slice grid the kept part reached 9 mm across slices, into a bright vessel that
leaves the lesion, and the oracle's ceiling fell with the slice thickness although the lesion did not
change. On 1 mm grids it is what it was (the same steps as the 6-neighbour dilation it used)."""

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
interactive = pytest.importorskip("interactive")


def test_steps_on_a_1mm_grid_are_the_dilation_the_oracle_used():
    mask = np.zeros((24, 26, 20), bool)
    mask[8:14, 9:12, 7:13] = True
    mask[3, 20, 15] = True
    away = interactive._steps_mm(mask, (1.0, 1.0, 1.0))
    for n in (1, 3, 4):
        assert np.array_equal(away <= n + 1e-3, ndimage.binary_dilation(mask, iterations=n)), n


def _case(spacing):
    """A 6 mm ball (200) with a bright 3 mm-radius vessel leaving it upwards, on grey (100)."""
    shape = tuple(int(round(60 / s)) for s in spacing)
    affine = np.diag([*spacing, 1.0])
    ras = np.indices(shape).reshape(3, -1).T * np.asarray(spacing) - 30.0 + np.asarray(spacing) / 2
    ball = (np.linalg.norm(ras, axis=1) <= 6).reshape(shape)
    vessel = ((np.linalg.norm(ras[:, :2], axis=1) <= 3) & (ras[:, 2] > 0)).reshape(shape)
    image = np.where(ball | vessel, 200.0, 100.0).astype(np.float32)
    return ("ball", image, affine, ball, 12.0)


def test_the_oracle_on_thick_slices_keeps_what_lies_within_3_mm():
    thin = interactive.threshold_oracle([_case((1.0, 1.0, 1.0))])["dice"]
    thick = interactive.threshold_oracle([_case((1.0, 1.0, 3.0))])["dice"]
    assert thin > 0.85
    assert abs(thick - thin) < 0.04, (thin, thick)   # counted in voxels: 0.87 against 0.95
