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
    progress = Signal(float, float, str)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Job(QRunnable):
    """One background call; ``signals`` are delivered on the GUI thread (queued connections)."""

    def __init__(self, function: Callable, label: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.function = function
        self.label = label
        self.cancel_token = CancelToken()
        self.signals = _Signals()
        self.finished = False
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
            result = self.function(self._progress, self.cancel_token)
        except Cancelled:
            self.signals.cancelled.emit()
        except NeuroviewError as exc:
            self.signals.failed.emit(str(exc))
        except MemoryError:
            self.signals.failed.emit(f"{self.label}: not enough memory")
        except Exception as exc:  # a bug must not kill the app: report it in the message bar
            traceback.print_exc()
            self.signals.failed.emit(f"{self.label}: internal error: {type(exc).__name__}: {exc}")
        else:
            self.signals.done.emit(result)


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

    def start(self, function: Callable, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None,
              on_cancel: Callable[[], None] | None = None, label: str = "") -> Job:
        job = Job(function, label)
        self.jobs.append(job)

        def finish(callback, *args):
            job.finished = True
            if job in self.jobs:
                self.jobs.remove(job)
            self.finished.emit(job)
            if callback is not None:
                callback(*args)

        job.signals.progress.connect(self.progress)
        job.signals.done.connect(lambda result: finish(on_done, result))
        job.signals.failed.connect(lambda message: finish(on_error, message))
        job.signals.cancelled.connect(lambda: finish(on_cancel))
        self.started.emit(job)
        self.pool.start(job)
        return job

    def cancel_all(self) -> None:
        for job in list(self.jobs):
            job.cancel()

    @property
    def busy(self) -> bool:
        return bool(self.jobs)

    def wait(self, msecs: int = 30000) -> bool:
        self.cancel_all()
        return self.pool.waitForDone(msecs)
