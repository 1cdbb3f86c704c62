"""Esc and the job bar's Cancel stop the job the user started (a model run), not the Lesions list's
count an edit set off meanwhile: until session 43 the bar showed the newest job, so a count that
ran past half a second took the bar, and Esc cancelled the count while the model ran on. The count
comes to the bar when the user's job ends, and Esc then stops it."""

from __future__ import annotations

import threading

from key_presses import type_key
from lesion_lists import list_of_two
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStatusBar

from neuroview.core.errors import Cancelled
from neuroview.core.volume import Volume
from neuroview.ui import lesions_panel
from neuroview.ui.job_bar import JobBar
from neuroview.ui.workers import JobRunner


def _held(release, seen, name):
    """A job that reports once, then waits for its cancel or ``release``."""
    def work(progress, cancel):
        progress(1, 10, f"{name}: 1 of 10")
        while not release.wait(0.01):
            if cancel.cancelled:
                seen.append(f"{name} cancelled")
                raise Cancelled()
        return name
    return work


def test_a_panel_count_waits_behind_the_users_job(qtbot):
    status = QStatusBar()
    qtbot.addWidget(status)
    runner, counts = JobRunner(), JobRunner()
    bar = JobBar(status, runner)
    bar.watch(counts, after_ms=50)
    release, seen, done = threading.Event(), [], []
    try:
        model = runner.start(_held(release, seen, "model"), on_done=done.append,
                             on_cancel=lambda: done.append("model stopped"), label="Segmenting")
        qtbot.waitUntil(lambda: bar.text.text() == "model: 1 of 10", timeout=10000)
        count = counts.start(_held(release, seen, "count"), on_done=done.append,
                             on_cancel=lambda: done.append("count stopped"), label="Lesion list")
        qtbot.waitUntil(lambda: count in bar.listed, timeout=10000)   # past its 50 ms
        assert bar.shown is model and bar.text.text() == "model: 1 of 10"
        bar.cancel()
        qtbot.waitUntil(lambda: "model stopped" in done, timeout=10000)
        assert seen == ["model cancelled"] and not count.cancel_token.cancelled
        assert bar.shown is count and bar.cancel_button.isEnabled()   # now the count's turn
        bar.cancel()
        qtbot.waitUntil(lambda: "count stopped" in done, timeout=10000)
        assert bar.shown is None and not bar.cancel_button.isVisibleTo(status)
    finally:
        release.set()


def test_escape_during_a_model_run_stops_the_model_not_the_count(qtbot, window, tmp_path,
                                                                 monkeypatch):
    volume, session, segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    axial = window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))   # the keys go to this view
    release, seen, ended, counting = threading.Event(), [], [], threading.Event()
    real = lesions_panel.segment_components

    def held(*args, progress=None, cancel=None, **kwargs):
        counting.set()
        while not release.wait(0.01):   # a long count: held until the test lets it go
            if cancel.cancelled:
                seen.append("count cancelled")
                raise Cancelled()
        return real(*args, progress=progress, cancel=cancel, **kwargs)

    monkeypatch.setattr(lesions_panel, "segment_components", held)
    try:
        model = window.runner.start(_held(release, seen, "model"), on_done=ended.append,
                                    on_cancel=lambda: ended.append("model stopped"),
                                    label="Segmenting")
        qtbot.waitUntil(lambda: window.jobs.text.text() == "model: 1 of 10", timeout=10000)
        array = session.labels.array.copy()
        array[40:43, 5:8, 2:5] = segment.value          # an edit meanwhile: the list counts again
        session.load_label_volume(Volume(array, session.volume.ijk_to_ras))
        qtbot.waitUntil(counting.is_set, timeout=10000)
        qtbot.wait(900)                                  # past the half second that lists it
        assert [job.label for job in window.jobs.listed] == ["Segmenting", "Lesion list"]
        assert window.jobs.shown is model
        type_key(window, Qt.Key_Escape)
        qtbot.waitUntil(lambda: "model stopped" in ended, timeout=10000)
        assert seen == ["model cancelled"] and panel.busy
        assert window.jobs.shown is not None and window.jobs.shown.label == "Lesion list"
    finally:
        release.set()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=10000)   # the count went on
