"""What the Segment editor says as it acts on its own: painting with no segment makes 'Segment 1'
and the status line says so (as Slicer's editor shows the segment it adds); a rename to spaces
only is undone with the reason said; the colour dialog names the segment it colours."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, open_and_paint_segment_1, open_case, stroke
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_painting_with_no_segment_says_it_made_one(qtbot, window, tmp_path):
    _, session = open_case(qtbot, window, tmp_path)
    assert len(session.segments) == 0
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5, mode="2d")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [8.0, 0, 0]])
    assert [s.name for s in session.segments] == ["Segment 1"]
    assert session.voxel_counts()["Segment 1"] > 0
    assert window.statusBar().currentMessage() == (
        "No segment to draw into: made 'Segment 1' (rename it in the Segment editor's list)")


def test_a_blank_rename_is_undone_with_the_reason_said(qtbot, window, tmp_path):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    table = window.edit_actions.panel.table
    table.setCurrentItem(table.item(0, 3))
    table.editItem(table.item(0, 3))
    qtbot.waitUntil(lambda: table.viewport().findChildren(QLineEdit) != [])
    editor = table.viewport().findChildren(QLineEdit)[0]
    editor.selectAll()
    qtbot.keyClicks(editor, "   ")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "")
    qtbot.waitUntil(lambda: table.item(0, 3).text() == "Segment 1")   # the deferred refresh
    assert [s.name for s in session.segments] == ["Segment 1", "Segment 2"]
    assert window.statusBar().currentMessage() == (
        "A segment needs a name: 'Segment 1' kept (the name typed was blank)")


def test_the_colour_dialog_names_its_segment(qtbot, window, tmp_path):
    open_and_paint_segment_1(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    panel.table.selectRow(1)
    panel.choose_color()
    qtbot.waitUntil(panel.color_dialog.isVisible)
    assert panel.color_dialog.windowTitle() == "Colour of segment 'Segment 2'"
    panel.color_dialog.reject()
