"""The Segment editor's list keeps the selected segment's row in sight when a tool's options make
it shorter (the list shrinks first, ``editor_panel.LIST_ROWS``): with three segments, the third
selected, AI click's options left the list two rows tall and the third row below its edge, out
of sight, while its segment was the one being worked on (walk of 7 Dec 2026, a 1200x868 window)."""

from __future__ import annotations

from editor_helpers import open_case
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _row_seen(table) -> float:
    """The share of the current row's height inside the list's viewport."""
    rect = table.visualRect(table.currentIndex())
    inside = rect.intersected(table.viewport().rect())
    return inside.height() / rect.height() if rect.height() else 0.0


def test_the_selected_row_stays_in_sight_as_the_options_take_the_room(qtbot, window, tmp_path):
    window.resize(1200, 868)
    open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    for _ in range(3):
        qtbot.mouseClick(panel.add_button, Qt.LeftButton)   # Segment 3, the last added, selected
    table = panel.table
    assert table.currentRow() == 2
    for tool in ("ai-click", "threshold", "islands", "navigate"):
        panel.select_tool(tool)
        qtbot.waitUntil(lambda: _row_seen(table) == 1.0, timeout=3000)
        assert table.item(2, 3).text() == "Segment 3", tool
