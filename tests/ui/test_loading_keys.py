"""Keys pressed while the first image is still loading had no view to act on and were lost without
a word: the status line now says once that the image is still loading (not once per key), and
says nothing once the image is on screen."""

from __future__ import annotations

import threading

from editor_helpers import write_image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from neuroview.io.candidates import SeriesCandidate
from neuroview.ui.loading_keys import STILL_LOADING

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_keys_while_the_first_image_loads_say_it_once(qtbot, window, tmp_path, monkeypatch):
    path, _ = write_image(tmp_path)
    gate, waiting = threading.Event(), threading.Event()
    load = SeriesCandidate.load

    def held_load(self, progress=None, cancel=None):
        waiting.set()
        assert gate.wait(30)
        return load(self, progress, cancel)

    monkeypatch.setattr(SeriesCandidate, "load", held_load)
    said = []
    status = window.notices.status
    monkeypatch.setattr(window.notices, "status", lambda text: (said.append(text), status(text)))
    bar = window.statusBar()
    axial = window.slice_views["axial"]
    QTest.keyClick(axial, Qt.Key_Up)                      # nothing loading yet: nothing said
    assert STILL_LOADING not in said

    window.open_paths([path])
    qtbot.waitUntil(waiting.is_set, timeout=30000)         # the load has begun and waits
    assert window.controller.volume is None
    try:
        for key in (Qt.Key_Up, Qt.Key_Up, Qt.Key_0, Qt.Key_R):
            QTest.keyClick(axial, key)
        QTest.keyClick(window, Qt.Key_PageDown)            # a key left to the window
        assert said.count(STILL_LOADING) == 1
        assert bar.currentMessage() == STILL_LOADING
    finally:
        gate.set()
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    k = window.controller.state.crosshair_ras.copy()
    QTest.keyClick(axial, Qt.Key_Up)                       # on screen: the key acts, nothing said
    assert said.count(STILL_LOADING) == 1
    assert (window.controller.state.crosshair_ras != k).any()
