"""``resample_nearest`` (a mask loaded onto another grid, ``convert --labels``): a voxel whose
centre lies a rounding error past the mask's last slice, inside that slice's cell, takes its
label. Mode ``constant`` ended the mask at its outer centres, so such voxels read 0: a tilted
CT's labels resampled by ``convert --tilt resample --labels`` lost voxels along the last slice."""

from __future__ import annotations

import numpy as np

from neuroview.app.label_files import resample_nearest
from neuroview.core.volume import Volume


def _target(shift_mm: np.ndarray) -> Volume:
    affine = np.diag([1.0, 1.0, 2.0, 1.0])
    affine[:3, 3] = shift_mm
    return Volume(np.zeros((5, 5, 4), np.int16), affine)


def test_centres_a_rounding_error_past_the_edge_keep_their_label():
    mask = np.ones((5, 5, 4), np.uint8)
    out = resample_nearest(mask, np.diag([1.0, 1.0, 2.0, 1.0]), _target(np.array([1e-9, 0, 1e-7])))
    assert np.all(out == 1), np.argwhere(out == 0)[:3]


def test_centres_past_the_outer_cells_are_background():
    mask = np.ones((5, 5, 4), np.uint8)
    out = resample_nearest(mask, np.diag([1.0, 1.0, 2.0, 1.0]), _target(np.array([0.6, 0, -1.2])))
    # i shifted 0.6 voxel: the last column's centre lies 0.6 past the mask's last cell centre
    assert np.all(out[:4, :, 1:] == 1) and not out[4].any() and not out[:, :, 0].any()
