"""AI > Models...: the models table is readable at the dialog's narrowest width, 800 px, as the
compare table below it: every column in sight (Parent and Created needed horizontal scrolling),
a long parent chain wrapped onto more lines of its row, each cell's whole text in its tooltip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle
from train_data import two_chains_at_800_px

pytest.importorskip("torch")


def test_models_table_is_readable_at_800_px(qtbot, window, tmp_path):
    dialog = two_chains_at_800_px(qtbot, window, tmp_path)
    table = dialog.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[-2:] == ["Parent", "Created"]
    assert table.horizontalScrollBar().maximum() == 0
    last = table.columnCount() - 1
    assert table.columnViewportPosition(last) + table.columnWidth(last) <= table.viewport().width()
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "chain@1.4.0")
    chain = table.item(row, 5).text()
    assert chain.startswith("chain@1.3.0 <- chain@1.2.0") and chain in table.item(row, 5).toolTip()
    metrics = QFontMetrics(table.font())
    margin = table.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, table) + 1
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            text = table.item(r, c).text()
            assert text in table.item(r, c).toolTip(), (r, c, text)
            width = table.columnWidth(c) - 2 * margin   # as Qt's item views lay out a cell's text
            needed = metrics.boundingRect(0, 0, width, 10000, Qt.TextWordWrap, text)
            assert needed.width() <= width and needed.height() <= table.rowHeight(r), (r, c, text)
