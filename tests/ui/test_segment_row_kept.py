"""The segment list always shows the row of the segment the tools write: Ctrl+click on the
selected row cleared the selection, the list showed no segment selected, and the next stroke went
into the segment deselected, without a word (session 40's annotator walk). Slicer's list keeps a
segment selected too."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, open_case, stroke
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_ctrl_click_on_the_selected_row_keeps_it_selected(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    for _ in range(2):
        qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    table = panel.table
    first = table.visualRect(table.model().index(0, 3)).center()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=first)
    assert session.segments.get(session.active_segment).name == "Segment 1"
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, Qt.ControlModifier, first)
    assert [index.row() for index in table.selectionModel().selectedRows()] == [0]
    panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert set(session.labels.array.ravel()) == {0, 1}            # into the row shown selected
