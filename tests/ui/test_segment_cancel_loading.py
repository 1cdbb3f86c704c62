"""Cancel, or closing the window, while *AI > Segment* loads its model returns at once. The run's
first stage (importing torch, reading the weights: 5 s at load 8) did not look at the cancel token:
Cancel left the bar busy until the load ended, and the close waited 5 s for it ("1 background
job(s) still running"). The load now runs on a thread of its own that the job stops waiting for
(``core.jobs.abandonable``, as the AI click model's load: ``test_ai_click_close_loading.py``).

The load is held here until the test lets it go; the job, its bar, Cancel and the close are the
window's own."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from editor_helpers import close_at_once, open_image, wait_for_session, write_image
from PySide6.QtCore import Qt

from neuroview.ai import segment as segmenting
from neuroview.core.jobs import abandoned_running, wait_abandoned

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture
def held_load(monkeypatch):
    """``ai.segment.get_model`` (reading the weights, after torch's import) waits, on whatever
    thread calls it, until ``release`` is set (30 s at most), then raises: (started, release)."""
    started, release = threading.Event(), threading.Event()

    def held(*_args):
        started.set()
        release.wait(30)
        raise RuntimeError("the test's held load")

    monkeypatch.setattr(segmenting, "get_model", held)
    yield started, release
    release.set()
    assert wait_abandoned(10)


def _segmenting(qtbot, window, tmp_path, held_load):
    """An image open and *AI > Segment* started, held in its load: (session, its labels, job)."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    labels = session.labels.array.copy()
    window.ai_actions.segment("", "cpu")
    assert held_load[0].wait(10), "AI > Segment did not load its model"
    job = window.ai_actions.job
    assert job is not None and not job.finished
    return session, labels, job


def test_cancel_while_segment_loads_its_model_is_immediate(qtbot, window, tmp_path, held_load):
    session, labels, job = _segmenting(qtbot, window, tmp_path, held_load)
    qtbot.waitUntil(lambda: window.jobs.shown is job, timeout=5000)
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: job.finished, timeout=10000)      # not when the load ends
    assert job.outcome == ("cancelled", None) and abandoned_running()
    assert window.notice_bar.text == "Segmentation cancelled; the labels are unchanged."
    assert np.array_equal(session.labels.array, labels) and not window.runner.busy


def test_closing_while_segment_loads_its_model_is_immediate(qtbot, window, tmp_path, held_load):
    _session, _labels, job = _segmenting(qtbot, window, tmp_path, held_load)
    close_at_once(qtbot, window, job, "the model's load")

