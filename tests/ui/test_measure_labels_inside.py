"""A ruler's length and an angle's degrees are drawn whole inside the view, below its title
strip, however near an edge the ruler's end or the angle's vertex is: the angle's label (beyond
the vertex, away from the arms) and the ruler's (right of its end) fell off the view there."""

from __future__ import annotations

import math

import numpy as np
import pytest
from flat_geometry import SIZE, TOP, FlatGeometry, painted

from neuroview.app.view_measure import Ruler
from neuroview.ui.measure_draw import draw_angle, draw_rulers


def _label_box(picture) -> tuple[int, int, int, int]:
    """left, top, right, bottom of the label's dark box (the lines are bright)."""
    ys, xs = np.nonzero(picture.max(axis=2) < 30)
    assert len(xs) > 30, "no label drawn"
    return xs.min(), ys.min(), xs.max(), ys.max()


def _size(box) -> tuple[int, int]:
    return box[2] - box[0], box[3] - box[1]


def _angle_label(vertex, opening_towards: float, opening: float = 60.0):
    def arm(direction):
        t = math.radians(direction)
        return (vertex[0] + 80 * math.cos(t), vertex[1] + 80 * math.sin(t), 0.0)

    points = (arm(opening_towards - opening / 2), (*vertex, 0.0), arm(opening_towards + opening / 2))
    return _label_box(painted(lambda p: draw_angle(p, FlatGeometry(), points, opening, TOP)))


# vertices at each edge and corner, the arms going into the view: the label, away from them,
# points out of it
EDGES = [((150, 20), 90), ((150, 297), 270), ((2, 150), 0), ((297, 150), 180),
         ((3, 20), 45), ((297, 20), 135), ((297, 297), 225), ((3, 297), 315)]


@pytest.mark.parametrize(("vertex", "towards"), EDGES)
def test_an_angle_label_near_an_edge_is_drawn_whole_inside_the_view(qapp, vertex, towards):
    whole = _size(_angle_label((150, 150), towards))   # in the middle of the view
    box = _angle_label(vertex, towards)
    assert _size(box) == whole, (box, whole)           # not cut by the edge
    assert box[0] >= 0 and box[1] >= TOP and box[2] < SIZE and box[3] < SIZE


def _ruler_label(end, towards_start):
    start = np.array([*end, 0.0]) + [*towards_start, 0.0]
    ruler = Ruler("axial", start, np.array([*end, 0.0]))
    return _label_box(painted(lambda p: draw_rulers(p, FlatGeometry(), [ruler], None, TOP)))


# the end at each edge and corner, the ruler 50 mm long
@pytest.mark.parametrize(("end", "towards_start"), [
    ((298, 150), (-30, 40)), ((150, 299), (30, -40)), ((150, 19), (30, 40)), ((1, 150), (30, 40)),
    ((298, 298), (-30, -40)), ((297, 10), (-30, 40)), ((2, 297), (30, -40))])
def test_a_ruler_label_near_an_edge_is_drawn_whole_inside_the_view(qapp, end, towards_start):
    whole = _size(_ruler_label((150, 150), towards_start))
    box = _ruler_label(end, towards_start)
    assert _size(box) == whole, (box, whole)
    assert box[0] >= 0 and box[1] >= TOP and box[2] < SIZE and box[3] < SIZE


@pytest.mark.parametrize(("end", "towards_start"), [
    ((298, 150), (-30, 40)), ((298, 298), (-30, -40)), ((297, 10), (-30, 40)), ((296, 150), (-50, 0))])
def test_at_the_right_edge_a_ruler_label_goes_left_of_the_line_not_over_it(qapp, end, towards_start):
    """Moved left of the end it lay over the ruler coming from the left: it goes left of the
    ruler's leftmost end."""
    left, top, right, bottom = _ruler_label(end, towards_start)
    start = np.array(end) + towards_start
    on_line = [start + t * (np.array(end) - start) for t in np.linspace(0, 1, 200)]
    assert not [p for p in on_line if left - 1 <= p[0] <= right + 1 and top - 1 <= p[1] <= bottom + 1]
    assert right < start[0]
