"""Background jobs let go of their results: once the GUI thread has handed a result to ``on_done``
and dropped it, nothing of the runner keeps it (PySide6's thread pool kept every ``QRunnable``
started with auto-delete off, and with it each job's result, until the program ended)."""

from __future__ import annotations

import gc
import threading
import weakref

from neuroview.ui.workers import JobRunner


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
    runner.pool.waitForDone(10000)
    gc.collect()
    assert result() is None and job() is None
    assert runner.jobs == []
