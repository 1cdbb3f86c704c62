"""SIGTERM stops a headless verb as Ctrl+C does.

``kill PID``, a batch scheduler's time limit, ``timeout``, systemd and Docker send SIGTERM. Its
default action ended the process at once: no line said why (the shell's exit status alone), and
the temporary file of a write in progress (``.NAME.XXXX.nii.gz`` beside the output of ``convert``
or ``segment``) stayed behind, where Ctrl+C's ``KeyboardInterrupt`` removed it. Here SIGTERM
raises :class:`Terminated`, a ``KeyboardInterrupt``, so the same clean-up runs (temporaries
removed, a case's label map and sidecar written both or neither) and the command ends with one
line and status 143 (128 + SIGTERM), as Ctrl+C ends with status 130.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Callable, Iterator

INTERRUPTED = 128 + signal.SIGINT
TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl+C raises ``KeyboardInterrupt``."""


def take_interrupts() -> None:
    """Ctrl+C (SIGINT) stops the command even when it was started with SIGINT ignored: a shell
    without job control (a script's ``neuroview train ... &``) starts background jobs so, and
    the ignored signal is inherited: SIGINT could not stop a training run (tests/conftest.py
    does the same for the suite)."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN and \
            threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


@contextlib.contextmanager
def interrupted_once() -> Iterator[None]:
    """Within the block, the first Ctrl+C raises ``KeyboardInterrupt`` and later ones are ignored
    while the command stops, as later SIGTERMs are (:func:`sigterm_as_interrupt`): a second
    Ctrl+C cut the clean-up short (a temporary left), or came in the interpreter's teardown and
    ended the process by SIGINT (exit -2, 4 of 4 runs with 0.05-0.2 s between the two, load 8-9).
    A process forked meanwhile takes it as before. Off the main thread, or over a handler of
    someone else's, it does nothing; the handler before is back at the end, unless it came."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    owner, came = os.getpid(), []

    def stop(number, frame):
        if os.getpid() != owner:
            signal.default_int_handler(number, frame)
        came.append(number)
        ignore_interrupts()
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        if not came:
            signal.signal(signal.SIGINT, signal.default_int_handler)


def ignore_interrupts() -> None:
    """Ctrl+C ignored from here on, the process's command ended or stopping: once Python gives
    SIGINT its default action back in the interpreter's teardown (0.5-2 s after ``import
    torch``), one ended the process by SIGINT (exit -2) where it had said its status."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def stopped(stop: BaseException, whole_process: bool = True) -> int:
    """The stop said in its one line and its exit status; ``whole_process``: the process ends
    with it (:func:`ignore_interrupts` first: a second Ctrl+C there left the line unsaid)."""
    if whole_process:
        ignore_interrupts()
    print(stop_line(stop), file=sys.stderr)
    return exit_status(stop)


def exit_status(stop: BaseException) -> int:
    """130 for Ctrl+C (or a cancel), 143 for SIGTERM, as a shell reports a command they ended."""
    return TERMINATED if isinstance(stop, Terminated) else INTERRUPTED


def stop_line(stop: BaseException) -> str:
    """The one line a stopped command prints on stderr."""
    return "neuroview: stopped (SIGTERM)" if isinstance(stop, Terminated) else "neuroview: interrupted"


@contextlib.contextmanager
def sigterm_as_interrupt(told: Callable[[], None] | None = None) -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` in the main thread (``told()`` first,
    when given: a run that acts on it after its cleanup, ``train_lock``); later SIGTERMs are
    ignored while the command stops (SIGKILL still ends it). A process forked meanwhile (a
    sample worker) dies of SIGTERM as before. Off the main thread it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def stop(number, frame):
        if os.getpid() != owner:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        signal.signal(number, signal.SIG_IGN)
        if told is not None:
            told()
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
