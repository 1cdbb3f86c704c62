"""Closing the window waits for its background work: no job of any of its panels runs on after it.

The lesion list (like the voxel counts and an editing preview) runs on a job runner of its own
panel; the window's close waited only for its main runner's jobs, so a list still being made
when a window test ended ran on past the close, and when that was the end of the test process
the interpreter cut the worker thread off at its exit ("Qt Concurrent has caught an exception
thrown from a worker thread").
"""

from __future__ import annotations

import threading

from editor_helpers import close_without_asking, open_image, wait_for_session, write_image
from lesion_lists import _two_lesions
from PySide6.QtWidgets import QDockWidget

from neuroview.ui import lesions_panel
from neuroview.ui.workers import JobRunner

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_closing_the_window_waits_for_the_lesion_list(qtbot, window, tmp_path, monkeypatch):
    real = lesions_panel.segment_components
    started, finished = threading.Event(), []

    def slow(*args, **job):   # the list of a large image, still being made when the window closes
        started.set()
        threading.Event().wait(1.0)
        try:
            return real(*args, **job)   # (closing cancels it: it ends at its first look)
        finally:
            finished.append(True)

    monkeypatch.setattr(lesions_panel, "segment_components", slow)
    path, _volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    _two_lesions(session)
    window.findChild(QDockWidget, "Lesions").raise_()   # the user looks at the list
    qtbot.waitUntil(started.is_set, timeout=10000)
    close_without_asking(window)
    window.close()
    assert finished, "the lesion list's job was still running after the window closed"
    assert [r.pool.activeThreadCount() for r in window.findChildren(JobRunner)] == \
        [0] * len(window.findChildren(JobRunner))
