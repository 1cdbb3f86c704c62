"""On a slice view, two rulers ending close together and an angle whose vertex is one of those
ends write their values apart, each readable: they were drawn on top of each other (the angle's
degrees over the second ruler's length)."""

from __future__ import annotations

import numpy as np
from flat_geometry import BACKGROUND, SIZE, TOP, FlatGeometry
from PySide6.QtGui import QImage, QPainter
from scipy import ndimage

from neuroview.app.view_measure import Angle, Ruler
from neuroview.ui.measure_draw import draw_saved


class SliceGeometry(FlatGeometry):
    origin_ras = np.zeros(3)
    normal = np.array([0.0, 0.0, 1.0])


class Document:
    """What :func:`draw_saved` reads of the viewer's controller."""

    class state:
        @staticmethod
        def slice_step_mm(_plane):
            return 1.0

    ellipses = []

    def __init__(self, rulers, angles):
        self.rulers, self.angles, self.rectangles = rulers, angles, []


def p(x, y):
    return np.array([x, y, 0.0])


def label_boxes(document) -> list[tuple]:
    image = QImage(SIZE, SIZE, QImage.Format_RGB888)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    draw_saved(painter, document, SliceGeometry(), "axial", TOP)
    painter.end()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(SIZE, image.bytesPerLine())
    dark = data[:, : 3 * SIZE].reshape(SIZE, SIZE, 3).max(axis=2) < 30   # the labels' boxes
    assert dark.sum() > 300, "labels drawn"
    pieces, _count = ndimage.label(dark)
    found = [(s[1].start, s[0].start, s[1].stop - 1, s[0].stop - 1)
             for s in ndimage.find_objects(pieces)]
    # the box shows through inside letters (an "0"): those pieces lie within a box, not boxes
    return [a for a in found if not any(b != a and b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2]
                                        and a[3] <= b[3] for b in found)]


def test_values_of_rulers_and_an_angle_at_one_point_are_drawn_apart(qapp):
    rulers = [Ruler("axial", p(40, 100), p(150, 100)), Ruler("axial", p(40, 108), p(152, 110))]
    angles = [Angle("axial", p(100, 40), p(150, 100), p(220, 60))]
    boxes = label_boxes(Document(rulers, angles))
    assert len(boxes) == 3, f"three values, each on its own box: {boxes}"
    for n, a in enumerate(boxes):
        for b in boxes[n + 1:]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], f"{a} and {b} meet"
    assert all(box[1] >= TOP for box in boxes), "below the title strip"


def test_labels_stacked_at_the_bottom_edge_go_up_and_stay_inside(qapp):
    rulers = [Ruler("axial", p(40, SIZE - 4), p(150, SIZE - 4)),
              Ruler("axial", p(40, SIZE - 6), p(151, SIZE - 6))]
    boxes = label_boxes(Document(rulers, []))
    assert len(boxes) == 2
    a, b = boxes
    assert a[3] < b[1] or b[3] < a[1], f"{a} and {b} meet"
    assert max(a[3], b[3]) < SIZE


class StatsBox:
    """A statistics rectangle as the controller holds it, with its figures."""

    plane = "axial"
    ellipse = False

    def __init__(self, start, end):
        self.start_ras, self.end_ras = start, end

    class stats:
        @staticmethod
        def lines():
            return ["676 voxels, 0.152 mL", "mean 34.9 HU, std 3.2", "min 30.0, max 40.0"]


def test_a_statistics_rectangle_writes_its_figures_clear_of_an_angle_and_a_ruler(qapp):
    """A CT reader's rectangle beside an angle's vertex and a ruler's end (walk of session 40):
    its figures covered the angle's degrees."""
    rulers = [Ruler("axial", p(40, 110), p(100, 110))]
    angles = [Angle("axial", p(60, 40), p(100, 100), p(40, 100))]
    document = Document(rulers, angles)
    document.rectangles = [StatsBox(p(86, 86), p(98, 98))]
    boxes = label_boxes(document)
    assert len(boxes) == 3, f"ruler, angle and figures each on its own box: {boxes}"
    for n, a in enumerate(boxes):
        for b in boxes[n + 1:]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], f"{a} and {b} meet"


def test_two_rectangles_side_by_side_write_their_figures_next_to_their_own(qapp):
    """Two neighbouring rectangles: the second's figures went below the first's, 50 px from their
    own rectangle; each now lies next to its own (within 12 px of it), over neither rectangle nor
    the other's figures."""
    document = Document([], [])
    document.rectangles = [StatsBox(p(40, 40), p(70, 70)), StatsBox(p(78, 40), p(108, 70))]
    boxes = label_boxes(document)
    assert len(boxes) == 2, boxes
    a, b = boxes
    assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], f"{a} and {b} meet"
    shapes = [(40, 40, 70, 70), (78, 40, 108, 70)]

    def meets(box, shape, near=0):
        return not (box[2] < shape[0] - near or shape[2] + near < box[0]
                    or box[3] < shape[1] - near or shape[3] + near < box[1])

    for shape in shapes:
        assert sum(meets(box, shape, near=12) for box in boxes) >= 1, f"none next to {shape}"
        assert not any(meets(box, shape) for box in boxes), f"figures over {shape}: {boxes}"
    assert any(meets(box, shapes[1], near=12) and not meets(box, shapes[0], near=12)
               for box in boxes), f"the second's figures are next to it alone: {boxes}"
