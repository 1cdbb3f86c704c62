"""Progress reporting and cancellation for long work (load, inference, training, export).

Long functions take ``progress: ProgressFn | None`` and ``cancel: CancelToken | None``. They call
``report(progress, done, total, text)`` between units of work and ``check(cancel)`` where stopping is
safe. ``ui/workers.py`` runs them off the GUI thread; the CLI passes a text progress bar.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Callable, Optional

from .errors import Cancelled

ProgressFn = Callable[[float, float, str], None]
"""``progress(done, total, text)``: ``done`` out of ``total`` units, with a short description."""


class CancelToken:
    """Thread-safe flag set by the user; checked by the worker between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


_SCOPE = threading.local()


@contextlib.contextmanager
def cancel_scope(cancel: Optional[CancelToken]):
    """``cancel`` as this thread's token while the block runs (the one outside it where None),
    for code that takes no token itself and looks with :func:`check_scope`: a network's layers
    (``ai.interactive.model``), so that an abandoned answer ends within a layer, not after the
    whole network's run, which the next answer waited for."""
    before = getattr(_SCOPE, "token", None)
    _SCOPE.token = before if cancel is None else cancel
    try:
        yield
    finally:
        _SCOPE.token = before


def check_scope() -> None:
    """:class:`Cancelled` when the token of this thread's :func:`cancel_scope` is set."""
    check(getattr(_SCOPE, "token", None))


_LEFT: set = set()
"""The threads of :func:`abandonable` still running (those whose wait was cancelled run on)."""


def abandonable(function: Callable, cancel: Optional[CancelToken], name: str):
    """``function()`` on a daemon thread of its own, for a step that cannot stop midway (importing
    torch, reading a model's weights): the caller waits for its result (or its error) while
    ``cancel`` is not set, and raises :class:`Cancelled` within 0.05 s once it is; the thread then
    runs on to its end, its result and its error dropped. A worker that waited for the step
    instead kept closing the window waiting for it (10 s and more under load). A step that ended
    as ``cancel`` was set is dropped the same (its error came through when it ended between two
    looks at ``cancel``: an AI click answer failing after Esc, said or not by chance)."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = function()
        except BaseException as exc:   # noqa: BLE001 - raised again in the caller, or dropped
            outcome["error"] = exc

    thread = threading.Thread(target=run, name=name, daemon=True)
    _LEFT.add(thread)
    thread.start()
    while thread.is_alive():
        check(cancel)
        thread.join(0.05)
    _LEFT.discard(thread)
    check(cancel)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def abandoned_running() -> bool:
    """Whether a step of :func:`abandonable` still runs (one its caller stopped waiting for): an
    interpreter ended under it, mid-import, could abort (``ui.launch.leave``)."""
    for thread in list(_LEFT):
        if not thread.is_alive():
            _LEFT.discard(thread)
    return bool(_LEFT)


def wait_abandoned(seconds: float) -> bool:
    """Wait up to ``seconds`` for the steps of :func:`abandonable` to end; whether they all did."""
    end = time.monotonic() + seconds
    for thread in list(_LEFT):
        thread.join(max(0.0, end - time.monotonic()))
    return not abandoned_running()


def check(cancel: Optional[CancelToken]) -> None:
    """Raise :class:`Cancelled` if ``cancel`` was set."""
    if cancel is not None:
        cancel.raise_if_cancelled()


def job_arguments(progress, cancel) -> None:
    """A public API's ``progress`` and ``cancel`` checked before the job starts: a
    ``threading.Event`` as ``cancel`` failed only at the first check, minutes in on a model's
    brain extraction, with "'Event' object has no attribute 'raise_if_cancelled'"."""
    if cancel is not None and not isinstance(cancel, CancelToken):
        raise TypeError(f"cancel must be a neuroview.core.jobs.CancelToken (its cancel() stops the "
                        f"job), not {type(cancel).__name__}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function progress(done, total, text), not "
                        f"{type(progress).__name__}")


def report(progress: Optional[ProgressFn], done: float, total: float, text: str = "") -> None:
    """Call ``progress`` if one was given."""
    if progress is not None:
        progress(done, total, text)


class Steps:
    """One progress over ``count`` steps done one after another (loading, registering...), where
    each step reports its own ``(done, total)`` from 0: :meth:`next` gives the next step's
    ``ProgressFn``, which places the step's own progress within its share of the whole and says
    ``step k of n: ...`` (``numbered``). The whole never goes back: a stage inside a step that
    counts from 0 again holds it where it was, and a step of unknown size (total 0) holds it at
    the step's start instead of a busy bar."""

    def __init__(self, progress: Optional[ProgressFn], count: int, numbered: bool = True) -> None:
        self.progress, self.count, self.numbered = progress, max(int(count), 1), numbered
        self.index = 0
        self.reached = 0.0

    def next(self, text: str = "") -> ProgressFn:
        """Start the next step (``text``: what it does, said until the step says more)."""
        self.index = number = min(self.index + 1, self.count)

        def step(done: float, total: float, said: str = "") -> None:
            fraction = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
            self.reached = max(self.reached, number - 1 + fraction)
            words = said or text
            if self.numbered:
                words = f"step {number} of {self.count}: {words}"
            report(self.progress, self.reached, self.count, words)

        step(0, 0)
        return step
