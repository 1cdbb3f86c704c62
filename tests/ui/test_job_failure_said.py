"""A background job that fails where nothing asked to hear it (no ``on_error``: the thick slab,
the lesion list) is said in one notice line naming what failed, once, and the window goes on;
until session 39 it went to stderr alone, and the slice view said "soon" for ever."""

from __future__ import annotations

import threading

from PySide6.QtCore import QPoint, Qt

from tests.jobs_stopped import stop_jobs


def test_a_failing_job_with_no_listener_is_said_once(qtbot, window):
    from neuroview.ui.workers import JobRunner

    runner = JobRunner(window)
    runs = []

    def broken(progress, cancel):
        runs.append(threading.current_thread() is threading.main_thread())
        raise IndexError("/data/cases/doe/a.nii.gz: index 9 is out of bounds")

    for _ in range(2):
        runner.start(broken, label="Lesion list")
        qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    qtbot.waitUntil(lambda: "Lesion list" in window.notice_bar.text, timeout=5000)
    assert runs == [False, False]
    assert window.notice_bar.text == ("Internal error in Lesion list: IndexError: a.nii.gz in …/doe: "
                                      "index 9 is out of bounds; your work is kept")
    stop_jobs(runner)


def test_a_failing_thick_slab_is_said_and_the_view_answers(qtbot, window, tmp_path, monkeypatch):
    from key_presses import type_key
    from oblique_views import open_oblique

    from neuroview.ui import slab_job

    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise MemoryError

    monkeypatch.setattr(slab_job, "sample_slab", broken)
    open_oblique(qtbot, window, tmp_path)
    view, controller = window.slice_views["axial"], window.controller
    qtbot.mouseClick(view, Qt.LeftButton, pos=QPoint(view.width() // 2, view.height() // 2))
    window.display_panel.slab_row.set_slab(10.0, "max", "axial")
    view.repaint()
    qtbot.waitUntil(lambda: "Thick slab" in window.notice_bar.text, timeout=10000)
    assert window.notice_bar.text == "Thick slab: not enough memory"
    first = controller.state.slice_label("axial", slab=False)
    type_key(view, Qt.Key_Up)
    view.repaint()
    assert controller.state.slice_label("axial", slab=False) != first
    qtbot.wait(300)
    assert len(calls) <= 2   # once a slice: a failed slab is not asked again and again
