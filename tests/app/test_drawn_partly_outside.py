"""A rectangle or an ellipse drawn partly past the image's edge: its area is that of the voxels it
covers, not as drawn, and its figures say "partly outside the image" (7.09 cm² drawn read for the
1.81 cm² of its 224 voxels until session 48)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.view_measure import Ellipse, Rectangle, drawn_on_slice
from neuroview.app.view_state import ViewerState
from neuroview.core.volume import Volume


def _mr() -> Volume:
    values = np.arange(40 * 30 * 3, dtype=np.float32).reshape(40, 30, 3)
    affine = np.diag([0.8, 0.6, 2.0, 1.0])     # voxel centres x 0 .. 31.2 mm, y 0 .. 17.4 mm
    return Volume(values, affine)


@pytest.mark.parametrize("shape, first", [
    (Ellipse, "146 voxels, area 0.701 cm², 0.140 mL"),
    (Rectangle, "182 voxels, area 0.874 cm², 0.175 mL")])   # 13 x 14 voxel centres
def test_a_shape_past_the_edge_reads_the_area_of_the_voxels_inside(shape, first):
    volume = _mr()
    state = ViewerState.for_volume(volume)
    start, end = np.array([-10.0, -8.0, 2.0]), np.array([10.0, 8.0, 2.0])   # centred on a corner
    stats = drawn_on_slice(shape, volume, state, "axial", start, end).stats
    assert stats.partly_outside and stats.area_mm2 == pytest.approx(stats.voxels * 0.8 * 0.6)
    assert stats.lines()[0] == first     # drawn: 2.51 cm² (ellipse), 3.20 cm² (rectangle)
    assert stats.lines()[-1] == "partly outside the image"


@pytest.mark.parametrize("shape, drawn", [(Ellipse, np.pi * 5 * 4),
                                          (Rectangle, 10 * 8)])
def test_a_shape_inside_keeps_its_area_as_drawn(shape, drawn):
    volume = _mr()
    start, end = np.array([10.0, 4.0, 2.0]), np.array([20.0, 12.0, 2.0])
    stats = drawn_on_slice(shape, volume, ViewerState.for_volume(volume), "axial", start,
                           end).stats
    assert not stats.partly_outside and stats.area_mm2 == pytest.approx(drawn)
    assert "partly outside the image" not in stats.lines()
