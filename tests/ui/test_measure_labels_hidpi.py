"""At a device pixel ratio of 2 (a HiDPI screen, ``QT_SCALE_FACTOR=2``; the view and its PNG
export draw in points on a picture of twice the pixels) a ruler's length and an angle's degrees
pushed against the view's left or right edge keep a margin of 2 points (4 pixels) inside it,
backdrop and letters, as at a ratio of 1 (``measure_draw.inside_view``)."""

from __future__ import annotations

import numpy as np
import pytest
from flat_geometry import SIZE, TOP, FlatGeometry, painted

from neuroview.app.view_measure import Ruler
from neuroview.ui.measure_draw import draw_angle, draw_rulers

RATIO = 2
MARGIN_PX = 2 * RATIO


def _label_columns(picture) -> tuple[int, int]:
    """First and last column of the label's dark backdrop (the lines are bright, the grey
    background mid)."""
    xs = np.nonzero(picture.max(axis=2) < 30)[1]
    assert len(xs) > 100, "no label drawn"
    return int(xs.min()), int(xs.max())


# a ruler across the view, its end at the right edge: the length goes left of its leftmost end,
# against the left edge (the start on it, or off the view after a pan)
@pytest.mark.parametrize("start_x", [0.0, 1.0, -40.0])
def test_a_ruler_length_pushed_to_the_left_edge_keeps_a_margin(qapp, start_x):
    ruler = Ruler("axial", np.array([start_x, 150.0, 0.0]), np.array([SIZE - 2.0, 150.0, 0.0]))
    left, right = _label_columns(painted(lambda p: draw_rulers(p, FlatGeometry(), [ruler], None, TOP), RATIO))
    assert left >= MARGIN_PX and right < SIZE * RATIO - MARGIN_PX, (left, right)


@pytest.mark.parametrize(("vertex_x", "towards"), [(0.0, 0.0), (SIZE - 1.0, 180.0)])
def test_an_angle_at_an_edge_keeps_its_degrees_a_margin_inside(qapp, vertex_x, towards):
    """The degrees go beyond the vertex, away from the arms: out of the view at an edge."""
    arms = [np.radians(towards + d) for d in (-30.0, 30.0)]
    points = ((vertex_x + 80 * np.cos(arms[0]), 150 + 80 * np.sin(arms[0]), 0.0), (vertex_x, 150.0, 0.0),
              (vertex_x + 80 * np.cos(arms[1]), 150 + 80 * np.sin(arms[1]), 0.0))
    left, right = _label_columns(painted(lambda p: draw_angle(p, FlatGeometry(), points, 60.0, TOP), RATIO))
    assert left >= MARGIN_PX and right < SIZE * RATIO - MARGIN_PX, (left, right)
