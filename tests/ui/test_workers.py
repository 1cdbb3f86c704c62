"""Background jobs let go of their results: once the GUI thread has handed a result to ``on_done``
and dropped it, nothing of the runner keeps it (PySide6's thread pool kept every ``QRunnable``
started with auto-delete off, and with it each job's result, until the program ended)."""

from __future__ import annotations

import gc
import logging
import threading
import weakref

import pytest

from neuroview.ui.workers import JobRunner
from tests.jobs_stopped import stop_jobs


class _Result:
    """A stand-in for a job's result (an image, a comparison)."""


def test_a_finished_job_and_its_result_are_freed(qtbot):
    runner = JobRunner()
    results, threads = [], []

    def work(progress, cancel):
        threads.append(threading.current_thread())
        progress(1, 1, "done")
        return _Result()

    job = weakref.ref(runner.start(work, on_done=results.append, label="work"))
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert threads[0] is not threading.main_thread() and isinstance(results[0], _Result)
    result = weakref.ref(results.pop())
    assert runner.pool.waitForDone(10000)
    gc.collect()
    assert result() is None and job() is None
    assert runner.jobs == []


def test_counts_are_thinned_but_each_new_stage_is_shown(qtbot):
    """A fast loop's counts reach the GUI about 20 times a second; a new stage's words always do,
    however soon after the last report (one progress over several stages, the follow-up's, ends
    a stage below the total, and a short stage's last words were dropped)."""
    runner = JobRunner()
    shown, done = [], []
    runner.progress.connect(lambda d, total, text: shown.append(text))

    def work(progress, cancel):
        for n in range(2000):
            progress(n, 4000, f"{n}/2000 patches")
        progress(2000, 4000, "segmenting (a model that says it once)")
        progress(2001, 4000, "extracting the brain")
        return True

    runner.start(work, on_done=done.append, label="work")
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    assert len(shown) < 200
    assert shown[-2:] == ["segmenting (a model that says it once)", "extracting the brain"]


def test_a_wait_that_times_out_says_so_in_one_line_and_fails_a_test(qtbot, caplog):
    runner = JobRunner()
    release = threading.Event()

    def stubborn(progress, cancel):   # never looks at its cancel token
        release.wait(10)

    runner.start(stubborn, label="Loading Smith^Ann.nii.gz")   # a label may name a patient
    with caplog.at_level(logging.WARNING, logger="neuroview.ui.workers"), \
            pytest.raises(pytest.fail.Exception) as failed:
        stop_jobs(runner, 100)                                 # the tests' wait at their end
    release.set()
    assert runner.pool.waitForDone(10000)
    assert "still running 0.1 s after they were cancelled: ['Loading Smith^Ann.nii.gz']" in str(
        failed.value)
    assert [r.getMessage() for r in caplog.records] == [         # the window's: no label
        "1 background job(s) still running 0.1 s after they were cancelled: "
        "test_a_wait_that_times_out_says_so_in_one_line_and_fails_a_test.<locals>.stubborn"]
