"""The Models dialog's compare table, readable at the dialog's narrowest width (800 px): the metric
and difference columns as wide as their text, the two models' columns share the rest, and a long
value (a model's chain of parents) wraps onto more lines of its row. A value wider than its column
even so (one long word) is elided; every cell carries its whole text as a tooltip. (Each column
was as wide as its longest value: two parent chains pushed the difference column out of sight.)"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

MODES = (QHeaderView.ResizeToContents, QHeaderView.Stretch, QHeaderView.Stretch,
         QHeaderView.ResizeToContents)
"""Metric, model A, model B, difference."""


class CompareTableWidget(QTableWidget):
    def __init__(self, headers, parent=None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.verticalHeader().hide()
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for column, mode in enumerate(MODES):
            header.setSectionResizeMode(column, mode)
        # a narrower column wraps its text onto more lines: the rows follow the columns' widths
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())

    def show_rows(self, rows) -> None:
        """``rows`` of ``(what, A, B, B - A)`` text."""
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.setItem(r, c, item)
        self.resizeRowsToContents()
