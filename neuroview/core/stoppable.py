"""A library call of a step left running, stopped where it stands (:func:`stoppable`).

A step of ``jobs.abandonable`` whose caller stopped waiting for it (Cancel, Ctrl+C) ran on to
its next look at ``cancel``: highdicom's build of a DICOM SEG and pydicom's write of it are one
call each, and a save cancelled at the start of either ran on for seconds of the processor
(session 44). Within a :func:`stoppable` block of such a step, :class:`Cancelled` is raised in
the step's thread as its caller gives up (``PyThreadState_SetAsyncExc``): at the next line of
Python the library runs, or as its C call under way returns. Off such a step it does nothing.

The block holds a library's pure work on objects the step made (a dataset built, a temporary
file written) and no import: an exception raised between two lines of an import could leave it
half done. One that lands between a lock's ``acquire()`` and its ``try`` leaves the lock taken
(``with lock:`` is safe): logging's handlers take theirs so, for a record at WARNING or above
(pydicom's note on an odd value while the SEG is written); a nanosecond's window, taken as a
risk. What the block leaves is the step's to drop (:func:`abandoned` says whether its caller
gave up).
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from typing import Iterator

from .errors import Cancelled

_STEP = threading.local()


def _raise_in(thread: int, error) -> None:
    """``error`` (a class) raised in ``thread`` at its next line of Python; None: one set and not
    yet raised is dropped."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), None if error is None else ctypes.py_object(error))


class Step:
    """A step's state, shared by the thread running it and its caller."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread: int | None = None   # running a stoppable block
        self.left = False

    def give_up(self) -> None:
        """The caller stops waiting: the step's stoppable block, if one runs, is stopped."""
        with self.lock:
            self.left = True
            if self.thread is not None:
                _raise_in(self.thread, Cancelled)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """This thread runs the step while the block lasts."""
        _STEP.step = self
        try:
            yield
        finally:
            _STEP.step = None


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """Within the block, the caller giving up the step raises :class:`Cancelled` here at once
    (at its start, when it had given up before)."""
    step = getattr(_STEP, "step", None)
    if step is None:
        yield
        return
    with step.lock:
        if step.left:
            raise Cancelled()
        step.thread = threading.get_ident()
    try:
        yield
    finally:
        with step.lock:
            step.thread = None
            _raise_in(threading.get_ident(), None)   # given up as the block ended: abandoned() says


def abandoned() -> bool:
    """Whether the caller of the step this thread runs gave it up (False off such a step)."""
    step = getattr(_STEP, "step", None)
    return step is not None and step.left
