"""In a side panel reached with F6, Tab goes from its list to the next box or button, as README's
*Keyboard only* says (Tab walks a panel's boxes and buttons; Up/Down and Left/Right move in the
list). Qt's tables take Tab themselves to step cell by cell: until session 42 Tab stayed in the
Segment editor's list, stepping through its cells (5 a segment) before it reached *Add*."""

from __future__ import annotations

from editor_helpers import open_image, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDockWidget

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_tab_leaves_the_segment_list_for_the_next_button(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, pos=QPoint(60, 60))
    for _ in range(2):
        type_key(window, Qt.Key_A, Qt.ControlModifier | Qt.ShiftModifier)   # Edit > Add segment
    editor = window.findChild(QDockWidget, "Segment editor")
    table = next(t for t in editor.findChildren(QAbstractItemView) if t.isVisible())
    qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=10000)
    for _ in range(6):   # F6 to the Segment editor, wherever it sits
        type_key(window, Qt.Key_F6)
        if editor.isAncestorOf(QApplication.focusWidget()):
            break
    assert QApplication.focusWidget() is table
    type_key(window, Qt.Key_Tab)
    after = QApplication.focusWidget()
    assert after is not table and editor.isAncestorOf(after), after
    assert after.text() == "Add"
    type_key(window, Qt.Key_Tab, Qt.ShiftModifier)
    assert QApplication.focusWidget() is table
    panel_tables = [t for d in window.findChildren(QDockWidget) for t in d.findChildren(QAbstractItemView)]
    assert panel_tables and not [t for t in panel_tables if t.tabKeyNavigation()]
