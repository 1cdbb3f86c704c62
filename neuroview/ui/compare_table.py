"""The Models dialog's tables, readable at the dialog's narrowest width (800 px): short columns as
wide as their text, the long ones (a model's chain of parents, its held-out split) share the rest,
and a long value wraps onto more lines of its row. A value wider than its column even so (one long
word) is elided; every cell carries its whole text as a tooltip. (Each column was as wide as its
longest value: two parent chains pushed the compare table's difference column out of sight, and
the models table needed horizontal scrolling to show Parent and Created.)"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from .plain_text import plain_tooltip

MODES = (QHeaderView.ResizeToContents, QHeaderView.Stretch, QHeaderView.Stretch,
         QHeaderView.ResizeToContents)
"""Metric, model A, model B, difference."""


def fit_to_width(table: QTableWidget, modes) -> None:
    """Columns sized by ``modes`` (one ``QHeaderView.ResizeMode`` per column), no row numbers,
    long values wrapped; the rows follow the columns' widths."""
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column, mode in enumerate(modes):
        header.setSectionResizeMode(column, mode)
    # a narrower column wraps its text onto more lines: the rows follow the columns' widths
    header.sectionResized.connect(lambda *_: table.resizeRowsToContents())


def text_item(value: str) -> QTableWidgetItem:
    """A cell showing ``value``, its whole text as a tooltip (where wrapping does not fit it)."""
    item = QTableWidgetItem(value)
    item.setToolTip(plain_tooltip(value))   # a segment's or a file's name as written
    return item


class CompareTableWidget(QTableWidget):
    def __init__(self, headers, parent=None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        fit_to_width(self, MODES)

    def show_rows(self, rows) -> None:
        """``rows`` of ``(what, A, B, B - A)`` text."""
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.setItem(r, c, text_item(value))
        self.resizeRowsToContents()
