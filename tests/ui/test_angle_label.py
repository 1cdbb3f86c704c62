"""An angle's degrees are drawn on the angle's bisector beyond the vertex, on the side where
neither arm is: beside the vertex, up and to the right, the label covered an arm going that way."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPainter

from neuroview.ui.measure_draw import draw_angle, label_side

VERTEX = np.array([200.0, 200.0])
BACKGROUND = QColor(60, 60, 60)


class FlatGeometry:
    """A slice whose RAS x, y are its pixels, 400 by 400."""

    width = height = 400

    @staticmethod
    def ras_to_pixel(p):
        return float(p[0]), float(p[1])


def _picture(points, degrees):
    image = QImage(400, 400, QImage.Format_RGB888)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    draw_angle(painter, FlatGeometry(), points, degrees)
    painter.end()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(400, image.bytesPerLine())
    return data[:, :1200].reshape(400, 400, 3).astype(int)


def _arm(direction_deg: float, length: float = 90.0):
    t = math.radians(direction_deg)
    return (VERTEX[0] + length * math.cos(t), VERTEX[1] + length * math.sin(t), 0.0)


@pytest.mark.parametrize("opening", [15, 45, 90, 135, 180])
@pytest.mark.parametrize("first", range(0, 360, 30))
def test_the_label_covers_no_arm_and_sits_beyond_the_vertex_on_the_bisector(qapp, opening, first):
    points = (_arm(first), (*VERTEX, 0.0), _arm(first + opening))
    arms = _picture(points, None)
    labelled = _picture(points, float(opening))
    drawn_arm = np.abs(arms - BACKGROUND.red()).sum(axis=2) > 0
    assert drawn_arm.sum() > 100
    # every pixel of the arms is the same with the label drawn: it covers none of them
    changed = np.abs(labelled - arms).sum(axis=2) > 0
    assert not (changed & drawn_arm).any(), np.argwhere(changed & drawn_arm)[:5]
    ys, xs = np.nonzero(changed)
    assert len(xs) > 30   # the label is there
    centre = np.array([xs.mean(), ys.mean()])
    side = label_side(np.array(points[0][:2]) - VERTEX, np.array(points[2][:2]) - VERTEX)
    offset = centre - VERTEX
    assert 5 < np.linalg.norm(offset) < 45   # near the vertex
    # on the line of the bisector, on the side away from the arms
    assert abs(offset[0] * side[1] - offset[1] * side[0]) < 4 and offset @ side > 0
    if opening < 180:
        bisector = (np.array(points[0][:2]) + np.array(points[2][:2])) / 2 - VERTEX
        assert offset @ bisector < 0


def test_the_label_side_of_a_straight_angle_and_of_an_arm_of_no_length():
    assert np.allclose(label_side(np.array([50.0, 0.0]), np.array([-50.0, 0.0])), [0, -1])  # above
    assert np.allclose(label_side(np.array([0.0, 0.0]), np.array([0.0, 30.0])), [0, -1])
    assert np.allclose(label_side(np.array([0.0, 0.0]), np.array([0.0, 0.0])), [0, -1])
