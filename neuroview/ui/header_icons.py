"""Icons over the segment list's Show, Lock and Colour columns (an eye, a padlock, a colour
swatch), their words in the tooltip, as 3D Slicer's segment list shows them. Titled in words,
the three columns took 125 of the list's 344 pixels at the dock's default width, and a model's
*From* (``lesionseg@2.5.1 + drawn + AI click``) kept only ``…+ drawn + AI click``.

Drawn with QPainter in the header's text colour, at every size asked (sharp on a HiDPI screen,
readable on a dark palette); no icon theme is needed (none is installed on most Linux hosts).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QTableWidgetItem

SWATCH_COLOURS = ((230, 25, 75), (60, 180, 75), (0, 130, 200), (255, 225, 25))
"""The four squares of the Colour column's icon (the first colours new segments get)."""

HEADERS = {
    0: ("eye", "Show: the segment is drawn in the views (untick to hide it)"),
    1: ("lock", "Lock: no tool or model result changes the segment"),
    2: ("swatch", "Colour: double-click a swatch, or Colour..., to change it"),
}
"""Column: (icon, tooltip). The tooltip's first word is the column's name (also read out by a
screen reader)."""


def _eye(painter: QPainter, r: QRectF) -> None:
    w, h, cx, cy = r.width(), r.height(), r.center().x(), r.center().y()
    outline = QPainterPath(QPointF(r.left() + 0.04 * w, cy))
    outline.quadTo(QPointF(cx, cy - 0.62 * h), QPointF(r.right() - 0.04 * w, cy))
    outline.quadTo(QPointF(cx, cy + 0.62 * h), QPointF(r.left() + 0.04 * w, cy))
    painter.drawPath(outline)
    painter.setBrush(painter.pen().color())
    painter.drawEllipse(QPointF(cx, cy), 0.16 * w, 0.16 * w)


def _lock(painter: QPainter, r: QRectF) -> None:
    w, h = r.width(), r.height()
    body = QRectF(r.left() + 0.2 * w, r.top() + 0.45 * h, 0.6 * w, 0.47 * h)
    shackle = QRectF(r.left() + 0.32 * w, r.top() + 0.1 * h, 0.36 * w, 0.6 * h)
    painter.drawArc(shackle, 0, 180 * 16)
    painter.drawLine(QPointF(shackle.left(), shackle.center().y()), QPointF(shackle.left(), body.top()))
    painter.drawLine(QPointF(shackle.right(), shackle.center().y()), QPointF(shackle.right(), body.top()))
    painter.setBrush(painter.pen().color())
    painter.drawRoundedRect(body, 0.08 * w, 0.08 * w)


def _swatch(painter: QPainter, r: QRectF) -> None:
    half = r.width() / 2
    for n, rgb in enumerate(SWATCH_COLOURS):
        painter.fillRect(QRectF(r.left() + half * (n % 2), r.top() + half * (n // 2), half, half),
                         QColor(*rgb))
    painter.setBrush(Qt.NoBrush)
    painter.drawRect(r)


DRAW = {"eye": _eye, "lock": _lock, "swatch": _swatch}


class DrawnIconEngine(QIconEngine):
    """Paints one of :data:`DRAW`'s shapes in ``colour`` into whatever rectangle Qt asks."""

    def __init__(self, shape: str, colour: QColor) -> None:
        super().__init__()
        self.shape, self.colour = shape, QColor(colour)

    def paint(self, painter: QPainter, rect: QRect, mode, state) -> None:
        side = min(rect.width(), rect.height())
        square = QRectF(0, 0, side, side)
        square.moveCenter(QRectF(rect).center())
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        colour = QColor(self.colour)
        if mode == QIcon.Disabled:
            colour.setAlpha(110)
        painter.setPen(QPen(colour, max(1.0, side / 11), Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        painter.setBrush(Qt.NoBrush)
        DRAW[self.shape](painter, square.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.restore()

    def pixmap(self, size: QSize, mode, state) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        try:   # ended before the pixmap can go, whatever paint raises (qt_guard.end_painters)
            self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        finally:
            painter.end()
        return pixmap

    def clone(self) -> "DrawnIconEngine":
        return DrawnIconEngine(self.shape, self.colour)


def drawn_icon(shape: str, colour: QColor) -> QIcon:
    return QIcon(DrawnIconEngine(shape, colour))


def set_icon_headers(table) -> None:
    """Give ``table``'s columns 0-2 (Show, Lock, Colour) an icon and no words, the words on hover."""
    colour = table.horizontalHeader().palette().color(table.horizontalHeader().foregroundRole())
    for column, (shape, tip) in HEADERS.items():
        item = QTableWidgetItem(drawn_icon(shape, colour), "")
        item.setToolTip(tip)
        item.setData(Qt.AccessibleTextRole, tip.split(":")[0])
        table.setHorizontalHeaderItem(column, item)
