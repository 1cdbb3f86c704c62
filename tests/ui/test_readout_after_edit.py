"""The status bar's readout of the voxel under a still pointer follows an edit of its label, as
it follows a slice that moves under the pointer (s45 walk: a lesion rejected from the *Lesions*
list with the pointer over it, the status bar still read ``label 1: lesion`` until the mouse
moved; an undo or redo likewise)."""

from __future__ import annotations

import pytest
from editor_helpers import INSIDE_CASE_RAS, hover, open_case, shortcut, stroke
from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_readout_follows_an_undo_and_a_redo_under_a_still_pointer(qtbot, window, tmp_path):
    _, session = open_case(qtbot, window, tmp_path)
    qtbot.mouseClick(window.edit_actions.panel.tool_buttons["paint"], Qt.LeftButton)
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert session.voxel_counts().get("Segment 1", 0) > 0
    hover(window, "axial", INSIDE_CASE_RAS)
    assert "label 1: Segment 1" in window.readout.text()
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the stroke undone
    qtbot.waitUntil(lambda: not session.voxel_counts().get("Segment 1", 0), timeout=5000)
    qtbot.waitUntil(lambda: "label" not in window.readout.text(), timeout=5000)
    assert window.readout.text().startswith("ijk (")   # the voxel is still read
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)   # and redone
    qtbot.waitUntil(lambda: "label 1: Segment 1" in window.readout.text(), timeout=5000)


@pytest.fixture
def pointer_left_over_a_view(second_window):
    """The real pointer where an earlier window test of the worker left it (``QTest.mouseMove``):
    over the spot the next window's coronal view covers (each window opens where the last one
    did)."""
    coronal = second_window.slice_views["coronal"]
    QCursor.setPos(coronal.mapToGlobal(coronal.rect().center()))
    second_window.close()


def test_the_readout_is_the_test_pointers_with_the_real_one_left_behind(
        qtbot, pointer_left_over_a_view, window, tmp_path):
    """s48: under load the undo test read ``ijk (32, 20, 19)  RAS (17.3, -6.2, -9.2) mm`` after
    Ctrl+Z, a voxel of the coronal view, which the real pointer an earlier test had left there
    made the view under the pointer (every view with one reads it again at an edit); Ctrl+Y then
    never read ``label 1``. The window fixture parks the real pointer off the window."""
    _, session = open_case(qtbot, window, tmp_path)
    qtbot.mouseClick(window.edit_actions.panel.tool_buttons["paint"], Qt.LeftButton)
    stroke(window, "axial", [INSIDE_CASE_RAS])
    hover(window, "axial", INSIDE_CASE_RAS)
    read = window.readout.text()
    assert "label 1: Segment 1" in read
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert window.readout.text() == read.replace("  label 1: Segment 1", "")
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert window.readout.text() == read


def test_the_readout_follows_a_lesion_rejected_under_a_still_pointer(qtbot, window, tmp_path):
    _, session = open_case(qtbot, window, tmp_path)
    qtbot.mouseClick(window.edit_actions.panel.tool_buttons["paint"], Qt.LeftButton)
    stroke(window, "axial", [INSIDE_CASE_RAS])
    hover(window, "axial", INSIDE_CASE_RAS)
    assert "label 1: Segment 1" in window.readout.text()
    window.lesions.next_lesion()   # the list's first (only) lesion, selected
    assert window.lesions.table.selectionModel().selectedRows()
    hover(window, "axial", INSIDE_CASE_RAS)
    window.lesions.reject_selected()
    assert not session.voxel_counts().get("Segment 1", 0)
    qtbot.waitUntil(lambda: "label" not in window.readout.text(), timeout=5000)
