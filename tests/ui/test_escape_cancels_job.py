"""Esc over a view cancels the background job the status bar shows (an AI segmentation, an
uncertainty map, a load), as the bar's *Cancel* does, when the view has nothing of its own to drop
(a stroke, a preview, an angle, a statistics rectangle). Until session 31 a long job could only be
stopped with the mouse: Esc did nothing, and the bar's *Cancel* button is out of the views' Tab
cycle and of *Next panel*'s (F6)."""

from __future__ import annotations

import itertools
import threading

from editor_helpers import open_image, wait_for_session, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt

from neuroview.core.errors import Cancelled
from neuroview.ui.job_bar import CANCELLING


def _held_job(release, seen, stop=None):
    """A job that waits for its cancel or ``release`` (a long model run), saying where it is
    every 0.1 s as a model says each patch; cancelled, it stops once ``stop`` is set (a model's
    step under way finishing), when given. At load 14 the bar did not say it within 10 s once in
    ten (the worker pool has a thread per core; a job the window runs after an open may take the
    bar meanwhile, and one that said it once then never said it again)."""
    def work(progress, cancel):
        for tick in itertools.count():
            if release.wait(0.01):
                break
            if tick % 10 == 0:
                progress(1, 10, "Segmenting: patch 1 of 10")
            if cancel.cancelled:
                seen.append("cancelled")
                if stop is not None:
                    stop.wait(10)
                raise Cancelled()
        return "done"
    return work


def test_escape_over_a_view_cancels_the_job_shown(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    axial = window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))   # the keys go to this view
    # the job stops only once the bar is read: on a loaded machine it ended within the key's
    # events, and the bar, hidden, still said Cancelling beside an enabled button (load 14)
    release, seen, ended, stop = threading.Event(), [], [], threading.Event()
    job = window.runner.start(_held_job(release, seen, stop), on_done=ended.append,
                              on_cancel=lambda: ended.append("cancelled"), label="Segmenting")
    try:
        bar = window.jobs
        qtbot.waitUntil(lambda: bar.text.text() == "Segmenting: patch 1 of 10", timeout=30000)
        assert bar.cancel_button.isVisible()
        type_key(window, Qt.Key_Escape)
        assert job.cancel_token.cancelled
        assert bar.text.text() == CANCELLING and not bar.cancel_button.isEnabled()
        assert bar.cancel_button.isVisible()
        stop.set()
        qtbot.waitUntil(lambda: ended == ["cancelled"], timeout=10000)
        assert seen == ["cancelled"] and not bar.cancel_button.isVisible()
    finally:
        release.set()
        stop.set()


def test_escape_drops_the_stroke_first_and_leaves_the_job_running(qtbot, window, tmp_path):
    """Esc with the mouse button down cancels the stroke only: the job goes on."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    axial = window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    type_key(window, Qt.Key_P)
    assert window.controller.mode == "paint"
    release, seen, ended = threading.Event(), [], []
    job = window.runner.start(_held_job(release, seen), on_done=ended.append, label="Segmenting")
    try:
        centre = QPoint(axial.width() // 2, axial.height() // 2)
        qtbot.mousePress(axial, Qt.LeftButton, pos=centre)
        assert (session.labels.array > 0).any()                  # the stroke under way
        type_key(window, Qt.Key_Escape)
        qtbot.mouseRelease(axial, Qt.LeftButton, pos=centre)
        assert not (session.labels.array > 0).any()              # the stroke is gone ...
        assert not job.cancel_token.cancelled                    # ... the job is not
        assert window.jobs.cancel_button.isEnabled()
    finally:
        release.set()
    qtbot.waitUntil(lambda: ended == ["done"], timeout=10000)
    assert seen == []


def test_escape_over_the_3d_view_alone_cancels_the_job(qtbot, window, tmp_path):
    """The 3D view maximised (double-click, or Ctrl+3's layout with it alone): its keys went to the
    slice view clicked last, hidden, and Esc did nothing (session 31's walk)."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    window.controller.toggle_maximised("3d")
    qtbot.waitUntil(lambda: not window.slice_views["axial"].isVisible(), timeout=5000)
    view3d = window.view3d
    assert view3d.isVisible()
    view3d.setFocus()
    qtbot.waitUntil(view3d.hasFocus, timeout=5000)
    release, seen, ended = threading.Event(), [], []
    job = window.runner.start(_held_job(release, seen), on_done=ended.append,
                              on_cancel=lambda: ended.append("cancelled"), label="Segmenting")
    try:
        qtbot.waitUntil(lambda: window.jobs.text.text() == "Segmenting: patch 1 of 10", timeout=30000)
        type_key(window, Qt.Key_Escape)
        assert job.cancel_token.cancelled
        qtbot.waitUntil(lambda: ended == ["cancelled"], timeout=10000)
        assert seen == ["cancelled"]
    finally:
        release.set()
