"""Background jobs for the GUI: plain functions taking ``progress`` and ``cancel`` run on a
QThreadPool; their result, error or cancellation comes back as Qt signals on the GUI thread.

Usage::

    job = runner.start(load_fn, on_done=show_volume, label="Loading brain.nii.gz")

``load_fn(progress, cancel)`` must not touch widgets or VTK. Progress reports are throttled to
about 20 per second so a fast loop cannot flood the event queue.
"""

from __future__ import annotations

import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..core.errors import Cancelled, NeuroviewError
from ..core.jobs import CancelToken


class _Signals(QObject):
    # Only plain values cross threads: the result stays on the Job and the GUI thread reads it
    # after ``finished``. (Python objects sent through ``Signal(object)`` from a worker thread
    # were over-released by PySide6 6.12 on Python 3.11 and crashed the interpreter.)
    progress = Signal(float, float, str)
    finished = Signal()


class Job(QRunnable):
    """One background call; its outcome is read on the GUI thread once ``signals.finished`` fires."""

    def __init__(self, function: Callable, label: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.function = function
        self.label = label
        self.cancel_token = CancelToken()
        self.signals = _Signals()
        self.finished = False
        self.outcome: tuple[str, Any] = ("running", None)
        self._last_report = 0.0

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def _progress(self, done: float, total: float, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last_report >= 0.05 or done >= total:
            self._last_report = now
            self.signals.progress.emit(float(done), float(total), str(text))

    def run(self) -> None:  # worker thread
        try:
            self.outcome = ("done", self.function(self._progress, self.cancel_token))
        except Cancelled:
            self.outcome = ("cancelled", None)
        except NeuroviewError as exc:
            self.outcome = ("failed", str(exc))
        except MemoryError:
            self.outcome = ("failed", f"{self.label}: not enough memory")
        except Exception as exc:  # a bug must not kill the app: report it in the message bar
            traceback.print_exc()
            self.outcome = ("failed", f"{self.label}: internal error: {type(exc).__name__}: {exc}")
        self.function = None  # its closure may hold a window (and its images): not past the run
        self.signals.finished.emit()


class JobRunner(QObject):
    """Starts jobs and tracks the running ones (so the window can show one progress bar)."""

    started = Signal(object)
    progress = Signal(float, float, str)
    finished = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.jobs: list[Job] = []
        self._callbacks: dict[int, tuple] = {}

    def start(self, function: Callable, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None,
              on_cancel: Callable[[], None] | None = None, label: str = "") -> Job:
        job = Job(function, label)
        self.jobs.append(job)
        self._callbacks[id(job.signals)] = (job, on_done, on_error, on_cancel)
        # Bound slots of this GUI-thread object: Qt queues the calls onto the GUI thread.
        job.signals.progress.connect(self._relay_progress)
        job.signals.finished.connect(self._job_finished)
        self.started.emit(job)
        self.pool.start(job)
        return job

    def _relay_progress(self, done: float, total: float, text: str) -> None:
        self.progress.emit(done, total, text)

    def _job_finished(self) -> None:
        entry = self._callbacks.pop(id(self.sender()), None)
        if entry is None:
            return
        job, on_done, on_error, on_cancel = entry
        job.finished = True
        if job in self.jobs:
            self.jobs.remove(job)
        self.finished.emit(job)
        kind, value = job.outcome
        if kind == "done" and on_done is not None:
            on_done(value)
        elif kind == "failed" and on_error is not None:
            on_error(value)
        elif kind == "cancelled" and on_cancel is not None:
            on_cancel()

    def cancel_all(self) -> None:
        for job in list(self.jobs):
            job.cancel()

    @property
    def busy(self) -> bool:
        return bool(self.jobs)

    def wait(self, msecs: int = 30000) -> bool:
        self.cancel_all()
        return self.pool.waitForDone(msecs)
