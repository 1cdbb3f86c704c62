"""The Segments list's Show and Lock boxes sit in the middle of their cells and a click anywhere
in the cell toggles them, as Slicer's eye and lock icons do. Until session 25 the boxes sat at the
left of their columns (wider than a box: their titles) and a click in the middle of the cell did
nothing."""

from __future__ import annotations

from editor_helpers import open_case
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _click(qtbot, table, row, column, where="centre"):
    rect = table.visualItemRect(table.item(row, column))
    point = rect.center() if where == "centre" else QPoint(rect.right() - 2, rect.center().y())
    QTest.mouseClick(table.viewport(), Qt.LeftButton, Qt.NoModifier, point)


def test_a_click_in_the_middle_of_show_and_lock_toggles_them(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1 and session.active_segment is not None)
    value = session.active_segment
    table = panel.table
    table.resizeColumnsToContents()
    assert table.visualItemRect(table.item(0, 0)).width() >= 24   # the eye (a title until session 34)
    segment = session.segments.get
    assert segment(value).visible and not segment(value).locked

    _click(qtbot, table, 0, 0)                       # Show, in the middle of the cell
    qtbot.waitUntil(lambda: not segment(value).visible, timeout=10000)
    assert table.item(0, 0).checkState() == Qt.Unchecked
    _click(qtbot, table, 0, 0, where="right")        # near its right edge: shown again
    qtbot.waitUntil(lambda: segment(value).visible, timeout=10000)
    assert table.item(0, 0).checkState() == Qt.Checked

    _click(qtbot, table, 0, 1)                       # Lock, in the middle of the cell
    qtbot.waitUntil(lambda: segment(value).locked, timeout=10000)
    assert table.item(0, 1).checkState() == Qt.Checked and segment(value).visible
    session.undo()                                   # one step each, as a click on the box was
    assert not segment(value).locked and segment(value).visible


def test_the_boxes_are_drawn_in_the_middle_of_their_cells(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    table = panel.table
    table.resizeColumnsToContents()
    table.clearSelection()                           # the box on the plain background
    for column in (0, 1):
        rect = table.visualItemRect(table.item(0, column))
        image = table.viewport().grab(rect).toImage()
        background = image.pixelColor(1, rect.height() // 2).lightness()
        drawn = [x for x in range(image.width()) for y in range(image.height())
                 if abs(image.pixelColor(x, y).lightness() - background) > 40]
        assert drawn, "no box drawn"
        middle = (min(drawn) + max(drawn)) / 2
        assert abs(middle - rect.width() / 2) <= 3, (column, min(drawn), max(drawn), rect.width())


def test_ticking_another_segments_show_keeps_the_selected_segment(qtbot, window, tmp_path):
    """As with Qt's own box: a click on a box does not pick its row (it would leave the segment
    the tools work on, and ask about an AI click object in progress)."""
    _volume, session = open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    for _ in range(2):
        qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    table = panel.table
    table.selectRow(0)
    active = session.active_segment
    other = panel._value_at(1)
    assert active == panel._value_at(0) != other
    _click(qtbot, table, 1, 0)
    qtbot.waitUntil(lambda: not session.segments.get(other).visible, timeout=10000)
    assert session.active_segment == active and panel.selected_value() == active
