"""How Fill between slices finds the planes drawn in a view oblique to the voxel grid."""

from __future__ import annotations

import numpy as np

from neuroview.core.edit.interpolate_plane import drawn_planes


def test_a_narrow_brush_band_is_one_plane_and_two_bands_are_two():
    band = 3.2                                   # a drawn plane changes voxels within 1.6 mm of it
    narrow = np.array([-1.41, 1.41])             # a one-voxel brush: two voxels 2.82 mm apart
    wide = 10.0 + np.arange(-1.5, 1.51, 0.375)   # a wide brush: its band filled densely
    assert drawn_planes(np.r_[narrow, wide], gap_mm=0.56, band_mm=band) == [0.0, 10.0]
    # two planes one slice apart (bands overlapping, no gap) are one
    assert len(drawn_planes(np.r_[wide - 2.0, wide], gap_mm=0.56, band_mm=band)) == 1
