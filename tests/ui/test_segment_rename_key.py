"""F2 in the Segment editor's list renames the segment of the current row; the window's F2
(Window/level mode) took the key there, so a segment could not be renamed from the keyboard."""

from __future__ import annotations

from editor_helpers import open_and_paint_segment_1
from key_presses import type_key
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit


def test_f2_in_the_segment_list_renames_the_selected_segment(qtbot, window, tmp_path):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    table = window.edit_actions.panel.table
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualItemRect(table.item(0, 3)).center())
    qtbot.waitUntil(table.hasFocus)
    type_key(window, Qt.Key_Down)                          # the keyboard picks the second row
    assert session.active_segment == 2
    type_key(window, Qt.Key_F2)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "oedema")
    type_key(window, Qt.Key_Return)
    qtbot.waitUntil(lambda: table.item(1, 3).text() == "oedema")
    assert [s.name for s in session.segments] == ["Segment 1", "oedema"]
    assert window.mode_actions["navigate"].isChecked()     # the mouse mode stayed
    assert not window.mode_actions["window-level"].isChecked()


def test_f2_over_a_view_still_switches_to_window_level(qtbot, window, tmp_path):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    window.slice_views["axial"].setFocus()
    type_key(window, Qt.Key_F2)
    assert window.mode_actions["window-level"].isChecked()
    assert [s.name for s in session.segments] == ["Segment 1", "Segment 2"]


def test_help_lists_the_rename_key(window):
    from neuroview.ui.help_menu import shortcut_rows

    rows = shortcut_rows(window.menuBar())
    assert ("Segment editor list", "Rename the selected segment (elsewhere F2 is Window/level)", "F2") in rows
