"""Picking Threshold keeps the window answering: the image's range and Otsu's starting threshold
are measured off the GUI thread, and the preview follows. On the GUI thread they held the window
0.5-0.85 s on the demo head at load 11 (newuser41). The thread that measures is recorded (a timer's
longest gap on the GUI thread, timed, failed at load 9-12 on the fixed code, session 45)."""

from __future__ import annotations

import threading

from editor_helpers import open_case, shortcut
from PySide6.QtCore import Qt

from neuroview.core.edit.threshold import default_range
from neuroview.ui import threshold_tool
from neuroview.ui.threshold_tool import shown_up

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_picking_threshold_measures_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    real, threads = threshold_tool.starting_range, []

    def recorded(*args):
        threads.append(threading.get_ident())
        return real(*args)

    monkeypatch.setattr(threshold_tool, "starting_range", recorded)
    shortcut(qtbot, window, Qt.Key_T)
    qtbot.waitUntil(lambda: window.controller.threshold_preview is not None, timeout=10000)
    assert threads and threading.get_ident() not in threads, "measured on the GUI thread"
    params = session.params["threshold"]
    low, high = default_range(volume.frame(0))   # what the user sees is as before: Otsu to the top
    decimals = window.edit_actions.panel.option_widgets["threshold"]["low"].decimals()
    assert (params.low, params.high) == (shown_up(low, decimals), high)
    preview = window.controller.threshold_preview
    assert (preview.low, preview.high) == (params.low, params.high)
