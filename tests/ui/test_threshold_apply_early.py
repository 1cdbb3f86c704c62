"""*Apply* of Threshold clicked while the image's range is still being measured (the boxes read
0 to 0 for a second or two under load) says so in the status line, as *Use for masking* does, and
writes nothing; then it applies the range measured. It put `threshold needs an intensity range
(low, high)` on the red bar (walk of 7 Dec 2026: T, then Apply at once, at load 17)."""

from __future__ import annotations

import threading

from editor_helpers import open_case, shortcut, threshold_measured
from PySide6.QtCore import Qt

from neuroview.ui import threshold_tool

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_apply_while_the_range_is_measured_waits_in_words(qtbot, window, tmp_path, monkeypatch):
    _, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    real, release = threshold_tool.starting_range, threading.Event()

    def held(*args):
        release.wait(10)
        return real(*args)

    monkeypatch.setattr(threshold_tool, "starting_range", held)
    shortcut(qtbot, window, Qt.Key_T)
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    release.set()
    assert window.statusBar().currentMessage() == \
        "The threshold range is being measured: Apply in a moment."
    assert window.message_bar.text == ""
    assert not session.labels.array.any()

    threshold_measured(qtbot, window)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    low = session.params["threshold"].low
    assert session.labels.array.any() and window.message_bar.text == ""
    assert (session.volume.array[session.labels.array == 1] >= low).all()
