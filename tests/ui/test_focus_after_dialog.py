"""After a dialog of the window closes (Segment with a model, a file dialog) the main window is
active again, so its keys (``.``, Ctrl+Z) work without a click. Under an X server with no window
manager nothing was active after the dialog went: the keys did nothing until a click. Without
the fix (``key_focus.ClickFocusFilter._dialog_closed``) all three fail offscreen and on xcb under
Xvfb (tests/ui/conftest.py says how to run them there)."""

from __future__ import annotations

from editor_helpers import activate
from PySide6.QtWidgets import QApplication, QFileDialog

from neuroview.ui import model_choice
from neuroview.ui.model_choice import SegmentDialog, installed_models


def _closes_and_window_is_active(qtbot, window, dialog) -> None:
    dialog.open()
    activate(qtbot, dialog)
    dialog.reject()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def test_the_window_is_active_after_the_segment_dialog(qtbot, window, monkeypatch):
    monkeypatch.setattr(model_choice, "_resolved", {"auto": "cpu", "cpu": "cpu", "cuda": "no",
                                                    "mps": "no"})
    entries, default = installed_models(window)
    _closes_and_window_is_active(qtbot, window, SegmentDialog(entries, default, window))


def test_the_window_is_active_after_a_file_dialog(qtbot, window, tmp_path):
    dialog = QFileDialog(window, "Open image", str(tmp_path))
    dialog.setOption(QFileDialog.DontUseNativeDialog)
    _closes_and_window_is_active(qtbot, window, dialog)


def test_a_dialog_opened_from_a_dialog_gives_the_activation_to_that_dialog(qtbot, window, tmp_path):
    outer = QFileDialog(window, "Outer", str(tmp_path))
    outer.setOption(QFileDialog.DontUseNativeDialog)
    outer.open()
    activate(qtbot, outer)
    inner = QFileDialog(outer, "Inner", str(tmp_path))
    inner.setOption(QFileDialog.DontUseNativeDialog)
    inner.open()
    activate(qtbot, inner)
    inner.reject()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is outer, timeout=3000)
    outer.reject()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
