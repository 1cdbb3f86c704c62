"""The status line's word on an edit that changed nothing ("Nothing erased ...", "AI click: ...
nothing changed") goes when the user asks for something else: after Ctrl+Z and Ctrl+S it stayed
its 15 s, beside the undo done and the notice "Saved ..." (session 38's walk)."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, segment_painted, shortcut, stroke
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _erase_nothing(qtbot, window) -> str:
    """An erase stroke over another segment than the selected one: the status line says why."""
    shortcut(qtbot, window, Qt.Key_E)
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    text = window.statusBar().currentMessage()
    assert "Nothing erased" in text, text
    return text


def test_ctrl_z_and_ctrl_s_replace_the_word_on_an_edit_that_changed_nothing(qtbot, window, tmp_path,
                                                                            monkeypatch):
    session, edema = segment_painted(qtbot, window, tmp_path)
    session.segments.add("lesion")   # selected, empty: erasing edema's voxels changes nothing
    status = window.statusBar()

    _erase_nothing(qtbot, window)
    steps = session.history.can_redo
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # undoes the newest step
    assert session.history.can_redo and not steps
    assert "Nothing erased" not in status.currentMessage(), status.currentMessage()

    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)   # the step back, to be saved
    assert not session.history.can_redo and (session.labels.array == edema.value).any()
    _erase_nothing(qtbot, window)
    target = tmp_path / "saved-labels.nii.gz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window.notice_bar.text.startswith("Saved "), timeout=20000)
    assert target.exists()
    assert "Nothing erased" not in status.currentMessage(), status.currentMessage()
