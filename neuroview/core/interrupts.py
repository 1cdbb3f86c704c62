"""Ctrl+C (SIGINT) or SIGTERM held until a block ends (:func:`interrupts_held`)."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Callable, Iterator


@contextlib.contextmanager
def interrupts_held(heard: Callable[[], None] | None = None) -> Iterator[None]:
    """Ctrl+C (SIGINT) or SIGTERM during the block takes effect when it ends, so files written
    together (a label map and its sidecar, a follow-up's outputs moved into place) are written
    all or none, and a 3D frame's VTK call has returned (VTK ended the process when Ctrl+C came
    in its progress observer: ``render.observers``); ``heard()`` is called as one comes (to stop
    the frame early). Off the main thread it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)

    def hold(number, _frame) -> None:
        caught.append(number)
        if heard is not None:
            heard()

    previous = {number: signal.signal(number, hold) for number in held}
    try:
        yield
    finally:
        for number in held:
            signal.signal(number, previous[number])
    if not caught:
        return
    handler = previous[caught[0]]
    if callable(handler):
        handler(caught[0], None)   # raises KeyboardInterrupt (Terminated for SIGTERM)
    elif handler == signal.SIG_DFL:
        os.kill(os.getpid(), caught[0])   # the default action, now that the block is done
