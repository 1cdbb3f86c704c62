"""Rulers, angles, ellipses and statistics rectangles drawn over a slice picture with QPainter:
on the slice view and on its exported PNG (*File > Export view*), so the file shows the
measurements the screen does (the export used to leave them out)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from ..app.view_measure import Ruler
from ..render.markups3d import Markup
from .hidpi import in_points

TEXT_BOX = QColor(0, 0, 0, 200)
"""Backdrop of measurement text."""
RULER_COLOR = QColor(0, 230, 255)
RECTANGLE_COLOR = QColor(255, 140, 0)
ANGLE_COLOR = QColor(120, 255, 120)


def on_slice(state, geom, plane: str, p_ras) -> bool:
    """``p_ras`` lies on the slice ``geom`` shows (within half a slice step)."""
    return abs((np.asarray(p_ras) - geom.origin_ras) @ geom.normal) \
        < state.slice_step_mm(plane) / 2 + 1e-6


def rulers_on_slice(controller, geom, plane: str) -> list[Ruler]:
    """The rulers drawn on ``plane`` at the slice ``geom`` shows, oldest first."""
    return [r for r in controller.rulers if r.plane == plane
            and on_slice(controller.state, geom, plane, r.start_ras)]


def inside_view(box: QRect, geom, top: int = 0, margin: int = 2) -> QRect:
    """``box`` moved the least so that it lies inside the view ``geom`` shows, below ``top`` (the
    view's title strip): a label near an edge is drawn whole, not cut off by it."""
    dx = max(margin - box.left(), min(0, geom.width - margin - 1 - box.right()))
    dy = max(top + margin - box.top(), min(0, geom.height - margin - 1 - box.bottom()))
    return box.translated(dx, dy)


LABEL_GAP = 2
"""Pixels kept between two measurement labels."""


def clear_of(box: QRect, taken: list, geom, top: int = 0) -> QRect:
    """``box`` inside the view (:func:`inside_view`), moved down below every label of ``taken``
    it would cover (up above them where the view ends below), and added to ``taken``: two rulers
    ending close together, or an angle at a ruler's end, wrote their values on top of each other."""
    def stacked(box: QRect, down: bool) -> QRect:
        moved = True
        while moved:
            moved = False
            for other in taken:
                if box.adjusted(-LABEL_GAP, -LABEL_GAP, LABEL_GAP, LABEL_GAP).intersects(other):
                    if down:
                        box.moveTop(other.bottom() + 1 + LABEL_GAP)
                    else:
                        box.moveBottom(other.top() - 1 - LABEL_GAP)
                    moved = True
        return inside_view(box, geom, top)

    box = stacked(inside_view(box, geom, top), down=True)
    if any(box.intersects(other) for other in taken):
        box = stacked(box, down=False)
    taken.append(box)
    return box


def draw_rulers(painter: QPainter, geom, rulers, selected=None, top: int = 0,
                taken: list | None = None) -> None:
    """Each ruler as a line with its length in mm on a dark box (readable over bright tissue,
    as Slicer's ruler labels) right of its end (where the view ends on the right: left of its
    leftmost end, off the line), always inside the view, below ``top``; the ``selected`` one
    thicker, with a handle on each end (where a drag moves it). ``taken``: the label boxes drawn
    before, which a label is moved off (:func:`clear_of`)."""
    taken = [] if taken is None else taken
    painter.setRenderHint(QPainter.Antialiasing)
    metrics = painter.fontMetrics()
    for ruler in rulers:
        a, b = geom.ras_to_pixel(ruler.start_ras), geom.ras_to_pixel(ruler.end_ras)
        painter.setPen(QPen(RULER_COLOR, 2.5 if ruler is selected else 1.5))
        painter.drawLine(QPointF(*a), QPointF(*b))
        if ruler is selected:
            for end in (a, b):
                painter.drawEllipse(QPointF(*end), 4.0, 4.0)
            painter.setPen(QPen(RULER_COLOR, 1.5))
        text = f"{ruler.length_mm:.1f} mm"
        box = metrics.boundingRect(text).translated(int(b[0]) + 6, int(b[1])).adjusted(-3, -2, 3, 2)
        if box.right() > geom.width - 3:   # no room right of the end: left of the leftmost end
            left = a if a[0] < b[0] else b  # (the line goes right from it)
            box.translate(int(left[0]) - 6 - box.right(), int(left[1]) - int(b[1]))
        box = clear_of(box, taken, geom, top)
        painter.fillRect(box, TEXT_BOX)
        painter.drawText(box.left() + 3, box.top() + 2 - metrics.boundingRect(text).top(), text)


def draw_angle(painter: QPainter, geom, points, degrees: float | None = None, top: int = 0,
               selected: bool = False, taken: list | None = None) -> None:
    """An angle's arms through ``points`` (RAS: first end, vertex, second end; fewer while it is
    drawn), its degrees on a dark box on the angle's bisector, beyond the vertex on the side
    away from both arms (beside the vertex, up and to the right, it covered an arm that went
    that way); near the view's edge (or ``top``, its title strip) the box is moved in, to be
    read whole. ``selected``: thicker, with a handle on each point (where a drag moves it), as a
    selected ruler; ``taken``: as for :func:`draw_rulers`."""
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QPen(ANGLE_COLOR, 2.5 if selected else 1.5))
    pixels = [QPointF(*geom.ras_to_pixel(p)) for p in points]
    for a, b in zip(pixels, pixels[1:]):
        painter.drawLine(a, b)
    if selected:
        for point in pixels:
            painter.drawEllipse(point, 4.0, 4.0)
        painter.setPen(QPen(ANGLE_COLOR, 1.5))
    if degrees is None or len(pixels) < 3:
        return
    metrics = painter.fontMetrics()
    text = f"{degrees:.1f}°"
    box = metrics.boundingRect(text).adjusted(-3, -2, 3, 2)
    vertex = np.array([pixels[1].x(), pixels[1].y()])
    away = label_side(np.array([pixels[0].x(), pixels[0].y()]) - vertex,
                      np.array([pixels[2].x(), pixels[2].y()]) - vertex)
    # the box's centre this far along: its nearest corner still 4 px past the vertex, on the
    # side of the line through the vertex (across the bisector) where neither arm is
    reach = box.width() / 2 * abs(away[0]) + box.height() / 2 * abs(away[1]) + 4
    centre = vertex + reach * away
    box.translate(int(round(centre[0] - box.center().x())), int(round(centre[1] - box.center().y())))
    box = clear_of(box, [] if taken is None else taken, geom, top)
    painter.fillRect(box, TEXT_BOX)
    painter.drawText(box.left() + 3, box.top() + 2 - metrics.boundingRect(text).top(), text)


def label_side(arm_a, arm_b) -> np.ndarray:
    """The unit direction from an angle's vertex to its label, given its arms (pixel vectors
    from the vertex): against their bisector, where neither arm is; away from the one arm of
    any length; above (screen y down) a straight angle."""
    units = [v / np.linalg.norm(v) for v in (arm_a, arm_b) if np.linalg.norm(v) > 1e-6]
    bisector = sum(units) if units else np.zeros(2)
    if np.linalg.norm(bisector) > 1e-6:
        return -bisector / np.linalg.norm(bisector)
    if not units:
        return np.array([0.0, -1.0])
    normal = np.array([units[0][1], -units[0][0]])
    return normal if normal[1] < 0 else -normal


def angles_on_slice(controller, geom, plane: str) -> list:
    """The angles drawn on ``plane`` at the slice ``geom`` shows (by their vertex), oldest first."""
    return [a for a in controller.angles if a.plane == plane
            and on_slice(controller.state, geom, plane, a.vertex_ras)]


def regions_on_slice(controller, geom, plane: str, kind: str) -> list:
    """The ellipses (``kind`` "ellipses") or the rectangles drawn on ``plane`` at the slice
    ``geom`` shows, oldest first."""
    return [e for e in getattr(controller, kind) if e.plane == plane
            and on_slice(controller.state, geom, plane, e.start_ras)]


def beside(shape: QRect, box: QRect, taken: list, geom, top: int = 0, shapes=()) -> QRect:
    """``box`` put next to ``shape`` (its bounding box, pixels): on its right (level with its top,
    else with its bottom), else below it (level with its left, else its right), on its left,
    above it, the first place where the box lies whole inside the view (below ``top``)
    and meets no label of ``taken`` nor another of ``shapes`` (the other ellipses' and rectangles'
    boxes); where none is, the first of them that, moved into the view, covers no shape nor label
    (a box wider than the room beside it); else below it, moved clear of the labels
    (:func:`clear_of`). Added to
    ``taken``. Until 7 Dec 2026 an ellipse's or rectangle's figures always went below its right
    corner and were pushed down below any label there: far from their own shape, over another's."""
    gap, w, h = 6, box.width(), box.height()
    right, below = shape.right() + gap, shape.bottom() + gap
    left, above = shape.left() - gap - w, shape.top() - gap - h
    sides = (QPoint(right, shape.top()), QPoint(right, shape.bottom() - h),
             QPoint(shape.left(), below), QPoint(shape.right() - w, below),
             QPoint(left, shape.top()), QPoint(left, shape.bottom() - h),
             QPoint(shape.left(), above), QPoint(shape.right() - w, above))
    for whole in (True, False):   # else moved into the view, off its own shape
        for corner in sides:
            placed = QRect(corner, box.size())
            moved = inside_view(placed, geom, top)
            wide = moved.adjusted(-LABEL_GAP, -LABEL_GAP, LABEL_GAP, LABEL_GAP)
            if (moved == placed or not whole and not moved.intersects(shape)) and not any(
                    wide.intersects(other) for other in taken) and not any(
                    moved.intersects(other) for other in shapes if other != shape):
                taken.append(moved)
                return moved
    return clear_of(QRect(sides[2], box.size()), taken, geom, top)


def pixel_box(geom, start_ras, end_ras) -> QRect:
    """The view pixels an ellipse or rectangle drawn from ``start_ras`` to ``end_ras`` covers."""
    (ax, ay), (bx, by) = geom.ras_to_pixel(start_ras), geom.ras_to_pixel(end_ras)
    return QRectF(min(ax, bx), min(ay, by), abs(bx - ax), abs(by - ay)).toAlignedRect()


def draw_rectangle(painter: QPainter, geom, start_ras, end_ras, figures=(), top: int = 0,
                   taken: list | None = None, shape: str = "rectangle",
                   selected: bool = False, shapes=()) -> None:
    """A statistics rectangle (or the ellipse inside it, ``shape``), with its figures on a dark box
    next to it (:func:`beside`: right, below, left or above, clear of the labels of ``taken`` and
    of the other ``shapes``), never above ``top`` (the view's title strip); ``taken``: as for
    :func:`draw_rulers` (the figures covered an angle's degrees at the rectangle's corner);
    ``selected``: thicker, with a handle on the two corners it was drawn from, as a selected
    ruler."""
    a, b = geom.ras_to_pixel(start_ras), geom.ras_to_pixel(end_ras)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QPen(RECTANGLE_COLOR, 3.0 if selected else 1.5))
    drawn = QRectF(min(a[0], b[0]), min(a[1], b[1]), abs(b[0] - a[0]), abs(b[1] - a[1]))
    shape_box = pixel_box(geom, start_ras, end_ras)
    if shape == "ellipse":
        painter.drawEllipse(drawn)
    else:
        painter.drawRect(drawn)
    if selected:   # a handle on each corner it was drawn from: a drag there resizes it
        painter.setPen(QPen(RECTANGLE_COLOR, 1.5))
        for corner in (a, b):
            painter.drawEllipse(QPointF(*corner), 4.0, 4.0)
    if not figures:
        return
    painter.setPen(QPen(RECTANGLE_COLOR, 1.5))
    metrics = painter.fontMetrics()
    width = max(metrics.horizontalAdvance(line) for line in figures)
    box = beside(shape_box, QRect(0, 0, width + 6, metrics.height() * len(figures) + 4),
                 [] if taken is None else taken, geom, top, shapes)
    painter.fillRect(box, TEXT_BOX)
    for row, line in enumerate(figures):
        painter.drawText(box.left() + 3, box.top() + 2 + row * metrics.height() + metrics.ascent(),
                         line)


def draw_saved(painter: QPainter, controller, geom, plane: str, top: int = 0, selected=None) -> None:
    """The rulers, angles, ellipses and rectangles (with their figures) of ``plane`` on the slice
    shown; ``selected``: the one drawn with handles (an ellipse or rectangle thicker too)."""
    taken = []   # the labels drawn so far: none covers another
    draw_rulers(painter, geom, rulers_on_slice(controller, geom, plane), selected, top, taken)
    for angle in angles_on_slice(controller, geom, plane):
        draw_angle(painter, geom, angle.points, angle.degrees, top, angle is selected, taken)
    regions = [drawn for kind in ("ellipses", "rectangles")
               for drawn in regions_on_slice(controller, geom, plane, kind)]
    shapes = [pixel_box(geom, drawn.start_ras, drawn.end_ras) for drawn in regions]
    for drawn in regions:
        draw_rectangle(painter, geom, drawn.start_ras, drawn.end_ras, drawn.stats.lines(), top,
                       taken, "ellipse" if drawn.ellipse else "rectangle", drawn is selected, shapes)


def with_measurements(picture, controller, plane: str, scale: float = 1.0) -> np.ndarray:
    """``picture.rgb`` (a rendered slice, ``render.slices.SliceImage``) with the measurements of
    ``plane`` drawn on it, as the slice view shows them; ``scale``: the picture's pixels per point
    (a view exported at a HiDPI screen's resolution: lines and labels as thick and big as there)."""
    rgb = np.ascontiguousarray(picture.rgb)
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, rgb.strides[0], QImage.Format_RGB888).copy()
    image.setDevicePixelRatio(scale)
    geom = in_points(picture.geometry, scale, round(width / scale), round(height / scale))
    painter = QPainter(image)
    try:
        draw_saved(painter, controller, geom, plane)
    finally:
        painter.end()
    out = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return out[:, : 3 * width].reshape(height, width, 3).copy()


def markups_3d(controller) -> list[Markup]:
    """The rulers, angles, ellipses and rectangles of the image, of every view and slice, as the
    3D view draws them (:mod:`..render.markups3d`): in their slice views' colours, a ruler's
    length at its end, an angle's degrees at its vertex, an ellipse's (a rectangle's) voxels,
    area and mL at its right end."""
    def markup(item, colour: QColor, label_at: int, points=None) -> Markup:
        points = tuple(tuple(float(v) for v in p) for p in (item.points if points is None else points))
        return Markup(points, item.value_text or "", colour.getRgb()[:3], label_at)

    return ([markup(r, RULER_COLOR, -1) for r in controller.rulers]
            + [markup(a, ANGLE_COLOR, 1) for a in controller.angles]
            + [markup(e, RECTANGLE_COLOR, 0, e.outline_ras())
               for e in controller.ellipses + controller.rectangles])
