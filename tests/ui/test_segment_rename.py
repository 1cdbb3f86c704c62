"""Renaming a segment in the *Segment editor* list: typed into the cell, no Qt warning, one step."""

from __future__ import annotations

import pytest
from editor_helpers import name_editor, open_and_paint_segment_1
from PySide6.QtCore import Qt


@pytest.mark.parametrize("selected_first", [True, False], ids=["selected-row", "other-row"])
@pytest.mark.parametrize("finish", ["return", "tab", "focus-out"])
def test_renaming_in_the_list_prints_no_qt_warning_and_renames_once(
        qtbot, qtlog, window, tmp_path, selected_first, finish):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    if selected_first:
        session.segments.select(1)
    qtbot.wait(50)
    steps = len(session.history.undo_steps)
    table = window.edit_actions.panel.table
    editor = name_editor(qtbot, window)
    qtbot.keyClicks(editor, "left thalamus")
    if finish == "focus-out":                                  # the user clicks elsewhere
        window.slice_views["axial"].setFocus()
    else:
        qtbot.keyClick(editor, Qt.Key_Return if finish == "return" else Qt.Key_Tab)
    qtbot.wait(50)                                             # the deferred list refresh runs
    table.setFocus()                                           # an editor left open loses focus
    qtbot.wait(50)

    assert [s.name for s in session.segments] == ["left thalamus", "Segment 2"]
    assert table.item(0, 3).text() == "left thalamus"
    assert table.state() != table.State.EditingState
    assert [r.message for r in qtlog.records if "commitData" in r.message] == []
    assert len(session.history.undo_steps) == steps + 1        # one undo step for the rename
