"""A layout that places its widgets in a row and wraps them onto further rows when the row is
full, as words wrap in a paragraph (Qt's *Flow Layout* example): the Readers dialog's *Take*
buttons, one per reader, made the dialog as wide as all of them side by side."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QStyle

from .qt_guard import guard_overrides


@guard_overrides
class FlowLayout(QLayout):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items = []

    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        """As wide as the widest widget (the rest wrap below it)."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _gap(self) -> int:
        if self.spacing() >= 0:
            return self.spacing()
        parent = self.parentWidget()
        style = parent.style() if parent is not None else None
        return style.pixelMetric(QStyle.PM_LayoutHorizontalSpacing) if style is not None else 6

    def _place(self, rect: QRect, move: bool) -> int:
        """Each widget at its size hint, left to right, wrapping at ``rect``'s right edge; returns the
        height used."""
        margins = self.contentsMargins()
        room = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        gap = max(self._gap(), 0)
        x, y, line = room.x(), room.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > room.right() + 1 and line > 0:   # this row is full
                x, y, line = room.x(), y + line + gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()
