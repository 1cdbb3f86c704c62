"""Colour swatches in segment tables that stay visible on the selected row.

A table item's background is hidden by the selection highlight, so a selected segment showed no
colour. The delegate paints the swatch (the item's background colour) inset over the highlight,
as Slicer's segment list does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyledItemDelegate

from .qt_guard import guard_overrides


@guard_overrides
class SwatchDelegate(QStyledItemDelegate):
    INSET = 3

    def paint(self, painter, option, index) -> None:
        super().paint(painter, option, index)
        brush = index.data(Qt.BackgroundRole)
        if brush is not None:
            d = self.INSET
            painter.fillRect(option.rect.adjusted(d, d, -d, -d), brush)
