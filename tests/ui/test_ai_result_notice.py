"""The notice of AI > Segment's result offers only what still works: after Ctrl+Z it says that
Ctrl+Y brings the result back, until a newer step (a ruler, an angle, a stroke) drops the redo."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import stroke
from measure_drawing import drag
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from tiny_models import segmented_with_tiny

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

pytest.importorskip("torch")


@pytest.mark.parametrize("newer", ["ruler", "angle", "stroke"])
def test_the_removed_notice_stops_offering_ctrl_y_once_a_newer_step_drops_the_redo(
        qtbot, window, tmp_path, newer):
    """It kept saying 'Ctrl+Y (or Ctrl+Shift+Z) brings it back' after a ruler or angle (undo
    steps since session 21) or a stroke had dropped the result's redo: Ctrl+Y then did nothing."""
    _, session = segmented_with_tiny(qtbot, window, tmp_path)
    view = window.slice_views["axial"]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10000)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert not session.labels.array.any() and "Ctrl+Y" in window.notice_bar.text
    if newer == "ruler":
        window.mode_actions["ruler"].trigger()
        drag(qtbot, view, (40, 60), (180, 60))
    elif newer == "angle":
        window.mode_actions["angle"].trigger()
        for x, y in ((60, 300), (160, 300), (260, 200)):
            qtbot.mouseClick(view, Qt.LeftButton, pos=QPoint(x, y))
    else:
        session.segments.add("mine")
        window.edit_actions.panel.select_tool("paint")
        stroke(window, "axial", [np.zeros(3)])
    assert not window.edit_actions.redo_action.isEnabled()
    text = window.notice_bar.text
    assert text.startswith("tiny@1.2.0's segmentation removed") and "Ctrl+Y" not in text, text
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)      # the newer step undone: still gone
    assert "Ctrl+Y" not in window.notice_bar.text and not (session.labels.array > 1).any()


def test_the_notice_stops_offering_ctrl_z_once_the_history_limit_drops_the_result(
        qtbot, window, tmp_path):
    """Strokes past the undo history's size limit forget the result's step; its notice still said
    'Ctrl+Z removes it', and Ctrl+Z then undid a stroke."""
    _, session = segmented_with_tiny(qtbot, window, tmp_path)
    assert window.notice_bar.text.endswith("; Ctrl+Z removes it.")
    session.history.max_steps = 2
    session.segments.add("mine")
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [np.zeros(3)])
    stroke(window, "axial", [np.full(3, 6.0)])
    assert not any(s.name == "model" for s in session.history.undo_steps)
    text = window.notice_bar.text
    assert text.startswith("tiny@1.2.0 on cpu") and "Ctrl+Z removes it" not in text, text
    assert text.endswith(". Ctrl+Z no longer removes it: the undo history's size limit dropped its step.")
    window.editor.undo()                                     # a stroke undone: the text stays honest
    assert window.notice_bar.text == text


def test_the_notice_says_ctrl_z_removes_it_only_when_it_would(qtbot, window, tmp_path):
    """After a newer edit (a stroke, a lesion rejected, an AI click accepted) the notice still
    said 'Ctrl+Z removes it', and Ctrl+Z undid that edit instead (a walk through the demo)."""
    _, session = segmented_with_tiny(qtbot, window, tmp_path)
    notice = window.notice_bar.text
    assert notice.endswith("; Ctrl+Z removes it.")
    session.segments.add("mine")      # a step too: one edit made since
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [np.zeros(3)])
    text = window.notice_bar.text
    assert text == notice.removesuffix("; Ctrl+Z removes it.") + (
        "; Ctrl+Z removes it after undoing the 2 edits made since."), text
    window.editor.undo()                                     # the stroke
    assert window.notice_bar.text.endswith("after undoing the 1 edit made since.")
    window.editor.undo()                                     # the segment 'mine'
    assert window.notice_bar.text == notice
    window.editor.undo()                                     # the result itself
    assert window.notice_bar.text.startswith("tiny@1.2.0's segmentation removed; Ctrl+Y")
    assert not session.labels.array.any()
