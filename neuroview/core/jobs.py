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
from .stoppable import Step

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
"""The ends (``threading.Event``) of the steps of :func:`abandonable` still running (those whose
wait was cancelled run on)."""


def abandonable(function: Callable, cancel: Optional[CancelToken], name: str):
    """``function()`` on a daemon thread of its own, for a step that cannot stop midway (importing
    torch, reading a model's weights, a TorchScript network's pass): the caller waits for its
    result (or its error) while ``cancel`` is not set, and raises :class:`Cancelled` within
    0.05 s once it is (on the main thread, Ctrl+C's ``KeyboardInterrupt`` comes as soon); the
    thread then runs on to its end, its result and its error dropped. A worker that waited for the
    step instead kept closing the window waiting for it (10 s and more under load). A step that
    ended as ``cancel`` was set is dropped the same (its error came through when it ended between
    two looks at ``cancel``: an AI click answer failing after Esc, said or not by chance). The
    wait looks at an event the step sets as it ends, not at the thread: Python 3.11 takes a
    thread whose ``join`` Ctrl+C interrupted for ended (bpo-45274), and the interpreter was
    then torn down under the step ('terminate called without an active exception'). What the
    step holds (its closure, its result or error) is let go on its own thread before it counts
    as ended: torch's tensors of an abandoned brain pass let go after that, as the process
    exited, aborted it the same way (session 44). A library call of the step within
    ``stoppable.stoppable()`` stops as the caller gives up (highdicom's build of a SEG)."""
    outcome: dict = {}
    ended, lock, steps, state = threading.Event(), threading.Lock(), [function], Step()
    del function   # the step's one reference is the thread's (``run``'s ``step``)

    def run() -> None:
        step = steps.pop()
        try:
            with state.running():
                outcome["result"] = step()
        except BaseException as exc:   # noqa: BLE001 - raised again in the caller, or dropped
            outcome["error"] = exc
        finally:
            del step   # what the step holds goes here (a network's tensors), and so does ...
            with lock:
                if outcome.pop("abandoned", False):
                    outcome.clear()   # ... the result no one takes, before the step counts as ended
                ended.set()

    thread = threading.Thread(target=run, name=name, daemon=True)
    _LEFT.add(ended)
    _wait_at_exit()
    try:
        thread.start()   # a Ctrl+C as it starts (in its wait for the thread) lets the step go too
        while not ended.is_set():
            check(cancel)
            ended.wait(0.05)
    except BaseException:   # cancelled, Ctrl+C
        with lock:
            outcome["abandoned"] = True
        state.give_up()
        raise
    _LEFT.discard(ended)
    check(cancel)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


_EXIT = {"hooked": False, "ending": False}


def _wait_at_exit() -> None:
    """Once a process: at its exit, a step left running is waited for before the interpreter
    is torn down under it (a script's Ctrl+C during a brain pass, then its end), unless the
    process ends at once (:func:`end_if_abandoned`)."""
    if not _EXIT["hooked"]:
        import atexit

        _EXIT["hooked"] = True
        atexit.register(lambda: None if _EXIT["ending"] else wait_abandoned(600.0))


def abandoned_running() -> bool:
    """Whether a step of :func:`abandonable` still runs (one its caller stopped waiting for): an
    interpreter ended under it, mid-import, could abort (``ui.launch.leave``)."""
    for ended in list(_LEFT):
        if ended.is_set():
            _LEFT.discard(ended)
    return bool(_LEFT)


def wait_abandoned(seconds: float) -> bool:
    """Wait up to ``seconds`` for the steps of :func:`abandonable` to end; whether they all did."""
    end = time.monotonic() + seconds
    for ended in list(_LEFT):
        ended.wait(max(0.0, end - time.monotonic()))
    return not abandoned_running()


def end_if_abandoned(code: int, other_running: bool = False) -> int:
    """``code``, or the process ended here with it while a step of :func:`abandonable` (or, with
    ``other_running``, another thread of the caller's in such code) still runs:
    the interpreter's teardown under a thread in torch's (or an import's) C++ code could abort
    the process ('terminate called without an active exception'). Called once the work has
    unwound (every ``with`` block left: files written closed and renamed, temporaries removed);
    the exit hooks run, the log and the output are flushed, then ``os._exit``: only the
    interpreter's teardown (module clearing, cycle collection) is skipped."""
    if not (other_running or abandoned_running()):
        return code
    import atexit
    import logging
    import os
    import sys

    _EXIT["ending"] = True
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):   # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


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
