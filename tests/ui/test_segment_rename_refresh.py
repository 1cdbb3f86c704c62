"""A segment change that lands while a name is typed into the list (a model's result, another
segment's colour, Show, Lock) no longer closes the name's editor: the list's refresh moved the
current cell to the row's first column, Qt closed the editor with the name as it was, and the
rest of what the user typed went nowhere (session 32's walk: Add, then a double-click on the name
before the list's deferred refresh)."""

from __future__ import annotations

from editor_helpers import name_editor, open_and_paint_segment_1
from PySide6.QtCore import Qt


def test_a_segment_change_while_typing_a_name_keeps_the_editor_and_the_name(qtbot, qtlog, window, tmp_path):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    table = window.edit_actions.panel.table
    editor = name_editor(qtbot, window)
    qtbot.keyClicks(editor, "left ")
    session.segments.recolor(2, (1, 2, 3))          # another segment changes meanwhile
    qtbot.wait(50)                                    # the list's refreshes run (one deferred)
    assert table.state() == table.State.EditingState and editor.hasFocus()
    qtbot.keyClicks(editor, "thalamus")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.wait(50)
    assert [s.name for s in session.segments][0] == "left thalamus"
    assert table.item(0, 3).text() == "left thalamus"
    assert session.segments.get(2).color == (1, 2, 3)
    assert table.item(1, 2).background().color().getRgb()[:3] == (1, 2, 3)
