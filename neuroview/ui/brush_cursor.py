"""The brush cursor: a circle with the brush's true radius on screen (mm / view scale)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen


def draw_brush_cursor(painter: QPainter, centre, radius_px: float, color, erase: bool = False) -> None:
    """A circle of ``radius_px`` around widget point ``centre``: solid in the active segment's
    colour for paint, dashed white for erase, with a dot at the centre."""
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    pen = QPen(QColor(255, 255, 255) if erase else QColor(*color), 1.5)
    if erase:
        pen.setStyle(Qt.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.NoBrush)
    x, y = centre
    painter.drawEllipse(QPointF(x, y), max(radius_px, 0.5), max(radius_px, 0.5))
    painter.drawPoint(QPointF(x, y))
    painter.restore()
