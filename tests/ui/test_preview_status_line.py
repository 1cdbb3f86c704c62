"""The status line of a *Grow from seeds* / *Fill between slices* preview ("Apply (Enter) keeps it,
Cancel (Esc) drops it", or "computing the preview...") leaves the status bar when the preview
ends; it stayed its 15 s after Enter had applied it (a walk of the window noticed it)."""

from __future__ import annotations

from editor_helpers import held_in_workers, shortcut
from preview_cases import _ask_preview, _two_discs
from PySide6.QtCore import Qt

from neuroview.core.edit import InterpolateTool

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _preview_shown(qtbot, window, tmp_path):
    _two_discs(qtbot, window, tmp_path)
    window.edit_actions.panel.preview_button.click()
    qtbot.waitUntil(window.editor.has_preview, timeout=30000)
    assert "Apply (Enter)" in window.statusBar().currentMessage()


def test_enter_takes_the_apply_line_away(qtbot, window, tmp_path):
    _preview_shown(qtbot, window, tmp_path)
    shortcut(qtbot, window, Qt.Key_Return)
    assert not window.editor.has_preview()
    assert window.statusBar().currentMessage() == ""


def test_esc_takes_the_apply_line_away(qtbot, window, tmp_path):
    _preview_shown(qtbot, window, tmp_path)
    shortcut(qtbot, window, Qt.Key_Escape)
    assert not window.editor.has_preview()
    assert window.statusBar().currentMessage() == ""


def test_esc_while_computing_takes_the_computing_line_away(qtbot, window, tmp_path, monkeypatch):
    _two_discs(qtbot, window, tmp_path)
    calls, release = held_in_workers(monkeypatch, InterpolateTool, "propose")
    _ask_preview(qtbot, window, calls)
    assert "computing the preview" in window.statusBar().currentMessage()
    shortcut(qtbot, window, Qt.Key_Escape)
    release.set()
    assert window.statusBar().currentMessage() == ""
    assert window.editor._preview_runner.wait(30000)        # the dropped result came back
