"""Picking Threshold keeps the window answering: the image's range and Otsu's starting threshold
are measured off the GUI thread, and the preview follows. On the GUI thread they held the window
0.5-0.85 s on the demo head at load 11 (newuser41). A slow Otsu (1.2 s) is put in their path; a
20 ms timer on the GUI thread records its longest gap while the tool is picked."""

from __future__ import annotations

import time

from editor_helpers import open_case, shortcut
from PySide6.QtCore import Qt, QTimer

from neuroview.core.edit.threshold import default_range
from neuroview.ui import threshold_tool
from neuroview.ui.threshold_tool import shown_up

SLOW = 1.2


def test_picking_threshold_measures_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    otsu = threshold_tool.otsu

    def slow_otsu(values):
        time.sleep(SLOW)
        return otsu(values)

    monkeypatch.setattr(threshold_tool, "otsu", slow_otsu)
    gaps, last = [], [time.perf_counter()]

    def beat():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.timeout.connect(beat)
    heartbeat.start(20)
    qtbot.wait(100)
    last[0] = time.perf_counter()
    shortcut(qtbot, window, Qt.Key_T)
    qtbot.waitUntil(lambda: window.controller.threshold_preview is not None, timeout=10000)
    qtbot.wait(100)   # a tick after a hold records it
    heartbeat.stop()
    assert max(gaps) < SLOW / 2, f"the GUI thread stopped {max(gaps):.2f} s"
    params = session.params["threshold"]
    low, high = default_range(volume.frame(0))   # what the user sees is as before: Otsu to the top
    decimals = window.edit_actions.panel.option_widgets["threshold"]["low"].decimals()
    assert (params.low, params.high) == (shown_up(low, decimals), high)
    preview = window.controller.threshold_preview
    assert (preview.low, preview.high) == (params.low, params.high)
