"""Background jobs for the GUI: plain functions taking ``progress`` and ``cancel`` run on a
QThreadPool; their result, error or cancellation comes back as Qt signals on the GUI thread.

Usage::

    job = runner.start(load_fn, on_done=show_volume, label="Loading brain.nii.gz")

``load_fn(progress, cancel)`` must not touch widgets or VTK. Progress reports are throttled to
about 20 per second so a fast loop cannot flood the event queue; a report whose words (numbers
aside) differ from the last one shown always goes through.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QThreadPool, Signal

from ..core.errors import Cancelled, NeuroviewError, private_reason, short_reason
from ..core.jobs import CancelToken
from ..core.named_paths import logged_traceback
from .qt_guard import one_line, say_once

_NUMBERS = re.compile(r"\d+")
log = logging.getLogger(__name__)


class _Signals(QObject):
    # Only plain values cross threads: a job's result stays on the Job and the GUI thread reads
    # it after ``finished`` names the job. (Python objects sent through ``Signal(object)`` from a
    # worker thread were over-released by PySide6 6.12 on Python 3.11 and crashed the interpreter.)
    # One per runner, made and freed on the GUI thread: a job holds no QObject of its own, so
    # wherever a job is freed, no QObject is destroyed on a worker thread.
    progress = Signal(int, float, float, str)
    finished = Signal(int)


class Job:
    """One background call; its outcome is read on the GUI thread once the runner's ``finished``
    names it. A plain object, not a ``QRunnable``: PySide6 (6.11) keeps every runnable given to
    ``QThreadPool.start`` with auto-delete off alive for as long as the pool, and with it the
    job's result (a follow-up window's images: ~5 MB per File > Open follow-up... until quitting);
    the pool is given the bound :meth:`run`, which it lets go once run."""

    def __init__(self, function: Callable, label: str, signals: _Signals, number: int) -> None:
        self.function = function
        self.label = label
        self.name = getattr(function, "__qualname__", type(function).__name__)
        """The function's name, for the log (a label may name a patient's file)."""
        self.number = number
        self.cancel_token = CancelToken()
        self.finished = False
        self.outcome: tuple[str, Any] = ("running", None)
        self.reason = ""
        """A failure in a few words with no path (``core.errors.short_reason``): a status line's."""
        self.unheard = ""
        """The failure's notice line, said when no ``on_error`` hears it (:meth:`JobRunner.start`)."""
        self._signals = signals
        self._last_report = 0.0
        self._last_stage = ""

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def _progress(self, done: float, total: float, text: str = "") -> None:
        now = time.monotonic()
        # counts within a stage (``12/40 patches``) are thinned; a new stage (other words, the
        # numbers aside) is always shown: with one progress over several stages (``Steps``) a
        # stage ends below the total, and its last words were dropped if they came quickly
        stage = _NUMBERS.sub("#", str(text))
        if now - self._last_report >= 0.05 or done >= total or stage != self._last_stage:
            self._last_report, self._last_stage = now, stage
            self._signals.progress.emit(self.number, float(done), float(total), str(text))

    def run(self) -> None:  # worker thread
        try:
            self.outcome = ("done", self.function(self._progress, self.cancel_token))
        except Cancelled:
            self.outcome = ("cancelled", None)
        except NeuroviewError as exc:
            self.outcome, self.reason = ("failed", str(exc)), short_reason(exc)
            self.unheard = f"{self.label}: {short_reason(exc)}"
        except MemoryError as exc:
            self.outcome, self.reason = ("failed", f"{self.label}: not enough memory"), short_reason(exc)
            self.unheard = self.outcome[1]
        except Exception as exc:  # a bug must not kill the app: report it in the message bar
            # the traceback with its message's files named short (a path names a patient)
            log.error("Internal error in the background job %s\n%s", self.name, logged_traceback(exc))
            self.outcome = ("failed", f"{self.label}: internal error: {type(exc).__name__}: "
                                      f"{private_reason(exc)}")
            self.reason, self.unheard = short_reason(exc), f"Internal error in {self.label}: " \
                f"{one_line(exc)}; your work is kept"
        self.function = None  # its closure may hold a window (and its images): not past the run
        self._signals.finished.emit(self.number)


class JobRunner(QObject):
    """Starts jobs and tracks the running ones (so the window can show one progress bar)."""

    started = Signal(object)
    progress = Signal(float, float, str)
    job_progress = Signal(object, float, float, str)
    """``progress`` with the job it is about (the job bar shows one job's progress)."""
    finished = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.jobs: list[Job] = []
        self._callbacks: dict[int, tuple] = {}
        self._numbers = itertools.count(1)
        self._signals = _Signals(self)
        # Bound slots of this GUI-thread object: Qt queues the calls onto the GUI thread.
        self._signals.progress.connect(self._relay_progress)
        self._signals.finished.connect(self._job_finished)

    def start(self, function: Callable, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None,
              on_cancel: Callable[[], None] | None = None, label: str = "") -> Job:
        job = Job(function, label, self._signals, next(self._numbers))
        self.jobs.append(job)
        self._callbacks[job.number] = (job, on_done, on_error, on_cancel)
        self.started.emit(job)
        self.pool.start(job.run)
        return job

    def _relay_progress(self, number: int, done: float, total: float, text: str) -> None:
        entry = self._callbacks.get(number)   # the job bar first, so that a listener to progress
        if entry is not None:                 # sees the bar at this report, not the one before
            self.job_progress.emit(entry[0], done, total, text)
        self.progress.emit(done, total, text)

    def _job_finished(self, number: int) -> None:
        entry = self._callbacks.pop(number, None)
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
        elif kind == "failed":   # nobody listens (a thick slab, the lesion list): said once
            say_once(("job", job.label, job.unheard), job.unheard, self)
        elif kind == "cancelled" and on_cancel is not None:
            on_cancel()

    def cancel_all(self) -> None:
        for job in list(self.jobs):
            job.cancel()

    @property
    def busy(self) -> bool:
        return bool(self.jobs)

    def wait(self, msecs: int = 30000) -> bool:
        """Cancel the jobs and wait up to ``msecs`` for them to end; whether they all did. One
        that runs on past it (a job that does not look at its cancel token) is said in one
        warning line, by its function's name (a job's label may name a patient's file)."""
        self.cancel_all()
        if self.pool.waitForDone(msecs):
            return True
        running = [job for job in list(self.jobs) if job.function is not None]
        names = ", ".join(sorted({job.name for job in running}))
        log.warning("%d background job(s) still running %g s after they were cancelled: %s",
                    len(running), msecs / 1000, names or "(ending)")
        return False
