"""A Lesions list count behind a job the user started (a model run holds the job bar, so the
count is not shown there) says on the list's summary line that it runs and how far it got: until
session 44 a recount after an edit gave no sign at all while the bar was held, the list of the
labels before shown as if current."""

from __future__ import annotations

import threading
import time

from lesion_lists import list_of_two

from neuroview.core.volume import Volume
from neuroview.ui import lesions_panel


def test_a_recount_behind_a_users_job_says_it_runs(qtbot, window, tmp_path, monkeypatch):
    volume, session, segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    assert panel.summary.text().startswith("2 lesions, ")
    release, held_job, reported = threading.Event(), threading.Event(), []
    real = lesions_panel.segment_components

    def user_job(progress, cancel):
        held_job.wait(30)

    window.runner.start(user_job, label="Segmenting")   # as AI > Segment holds the bar
    qtbot.waitUntil(lambda: window.jobs.shown is not None and window.jobs.shown.label == "Segmenting",
                    timeout=5000)

    def slow(*args, progress=None, **kwargs):
        def hold(done, total, text):
            if total and done >= 1:   # one lesion of three measured: held until released
                time.sleep(0.1)       # (reports within 50 ms of the one before are thinned)
                progress(done, total, text)
                reported.append((done, total))
                release.wait(30)
            progress(done, total, text)
        return real(*args, progress=hold, **kwargs)

    monkeypatch.setattr(lesions_panel, "segment_components", slow)
    array = session.labels.array.copy()
    array[40:43, 5:8, 2:5] = segment.value          # a third lesion: the list counts again
    session.load_label_volume(Volume(array, session.volume.ijk_to_ras))
    try:
        qtbot.waitUntil(lambda: bool(reported), timeout=10000)
        done, total = reported[0]
        said = f"counting again after the last edit… {int(100 * done / total)} % (the list is from before it)"
        qtbot.waitUntil(lambda: panel.summary.text() == said, timeout=5000)
        assert window.jobs.shown.label == "Segmenting"   # the user's job keeps the bar
        assert panel.table.rowCount() == 2
    finally:
        release.set()
        held_job.set()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3 and not panel.busy, timeout=10000)
    assert panel.summary.text().startswith("3 lesions, ")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
