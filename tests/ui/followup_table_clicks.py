"""Clicks on the follow-up lesion table: helpers that test_followup_table.py and the tests building on
it share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from neuroview.ui.followup_table import column_name


def click_header(qtbot, table, name: str) -> None:
    header = table.horizontalHeader()
    """Click the header of the CSV's column ``name`` (its header shows a title)."""
    column = [column_name(table, c) for c in range(table.columnCount())].index(name)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
