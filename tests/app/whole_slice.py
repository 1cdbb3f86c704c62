"""A rectangle over a whole slice: the helper test_roi_outside_scan.py and the tests building on it
share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np

from neuroview.app.view_measure import rectangle_statistics


def whole_slice(volume, k: int):
    """A rectangle over all of slice ``k``, drawn on the axial view."""
    axes = volume.ijk_to_ras[:3, :3].T / np.asarray(volume.spacing)[:, None]
    n = volume.shape[0] - 1
    corners = volume.ijk_to_ras_points(np.array([[0.0, 0, k], [n, n, k]]))
    return rectangle_statistics(volume, *corners, *axes, 1.0)
