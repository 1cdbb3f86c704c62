"""AI > Segment opens at once: the dialog is on screen, with the models, while the AI runtime
(torch) is still loading in the background; the device appears when it is known."""

from __future__ import annotations

import threading

from editor_helpers import open_image, wait_for_session, write_image
from key_presses import type_key
from PySide6.QtCore import Qt

from neuroview.ui import model_choice

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_segment_dialog_opens_while_the_runtime_loads(qtbot, window, tmp_path, monkeypatch):
    loaded = threading.Event()
    imported_on = []

    def slow_runtime(progress=None, cancel=None):
        imported_on.append(threading.current_thread() is threading.main_thread())
        assert loaded.wait(30)            # stands for torch's import: as long as the test wants
        return {"auto": "cpu", "cpu": "cpu", "cuda": "not available: no CUDA", "mps": "not available"}

    monkeypatch.setattr(model_choice, "resolve_devices", slow_runtime)
    monkeypatch.setattr(model_choice, "_resolved", {})
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    window.slice_views["axial"].setFocus()
    type_key(window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    dialog = window.ai_actions.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    assert not loaded.is_set()                             # the runtime is still loading
    assert dialog.model_box.count() >= 1                   # models listed already
    assert dialog.device_label.text() == model_choice.CHECKING
    loaded.set()
    qtbot.waitUntil(lambda: dialog.device_label.text() == "cpu", timeout=10000)
    assert imported_on == [False]                          # off the GUI thread, once
    dialog.device_box.setCurrentIndex(dialog.device_box.findData("cuda"))
    assert dialog.device_label.text() == "not available: no CUDA"
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    window.activateWindow()                                # (the offscreen platform does not)
    qtbot.waitUntil(window.isActiveWindow, timeout=10000)
    type_key(window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: window.ai_actions.dialog is not dialog, timeout=10000)
    assert window.ai_actions.dialog.device_label.text() == "cpu"   # remembered: no second load
    assert imported_on == [False]
    window.ai_actions.dialog.reject()
