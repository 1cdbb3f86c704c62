"""One ``neuroview train`` run at a time per package, and nothing left behind when it ends.

The lock is the file ``.NAME@VERSION.train-lock`` (``.NAME.train-lock`` for an ``--out`` folder)
beside the package folder, where its ``.checkpoint`` folder goes too: in the registry for a model
name, beside the output for ``--out DIR`` (also outside the registry, ``--out ../x``). Every
spelling of one output names one lock file, so two runs to it exclude each other. The file holds
the running process's id; the exclusion itself is the system's lock (``flock``; on Windows
``msvcrt.locking``: ``core.os_lock``), which a process that dies (killed, out of memory) gives back
with it: the file it leaves is stale, the next run takes it over and removes it when it ends. A run
that ends in any other way (finished, failed, cancelled: SIGTERM, what the window's *Cancel* sends,
see :func:`stop_on_sigterm`) removes it (on Windows unless another run has it open meanwhile).
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

from ..core.errors import NeuroviewError
from ..core.os_lock import close_and_remove, lock
from .stop_signals import sigterm_as_interrupt

_SIGTERM: list = []
"""Set once a SIGTERM has stopped this process's run (:func:`stop_on_sigterm`)."""

_HELD: list = []
"""``(path, open file)`` of the locks this process holds, until :func:`release` (tests run several
runs in one process)."""


def lock_file(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.train-lock")


def hold(folder: Path) -> None:
    """Take the lock of the package folder ``folder`` or stop in one line: another run holds it."""
    path = lock_file(folder)
    while True:
        handle = open(path, "a+")
        try:
            taken = lock(handle.fileno(), wait=False)
        except OSError:
            taken = False
        if not taken:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise NeuroviewError(f"another run is training {folder.name} now (another window or terminal)",
                                 path=folder, hint="wait until it ends"
                                 + (f" (process {holder})" if holder.isdigit() else "")
                                 + ", or give another --version") from None
        # the run that held it may have removed the file between our open and flock: the lock
        # taken is then on a file no other run sees; open the one at the path again
        try:
            now, held = os.stat(path), os.fstat(handle.fileno())
            same = (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    _HELD.append((path, handle))


def held() -> list[Path]:
    """The package folders whose locks this process holds (its runs')."""
    return [path.with_name(path.name[1:].removesuffix(".train-lock")) for path, _ in _HELD]


def release() -> None:
    """Remove the lock files this process holds, then give the locks back (removed first: a run
    that opened the file meanwhile sees that it is gone and opens a new one; on Windows given
    back first, then removed unless another run opened it: ``os_lock.close_and_remove``)."""
    while _HELD:
        path, handle = _HELD.pop()
        close_and_remove(handle, path)


@contextlib.contextmanager
def stop_on_sigterm():
    """SIGTERM (the window's *Cancel*, a parent window gone, ``kill PID``) stops the run as Ctrl+C
    does (``stop_signals.sigterm_as_interrupt``, noted here for :func:`exit_if_terminated`), so
    that its ``finally`` blocks run (the lock file is removed); before, the process died
    at once and left its lock. Later SIGTERMs are ignored while it stops; the window sends SIGKILL
    if it takes more than 5 s. Processes forked meanwhile (sample workers) keep the default.
    Once the run's cleanup is done, :func:`exit_if_terminated` ends the process at once, as SIGTERM
    did before: Python's own exit after a training run took 7 s on a busy CPU, and the window waits
    for the process (its *Cancel* froze until its SIGKILL)."""
    with sigterm_as_interrupt(lambda: _SIGTERM.append(signal.SIGTERM)):
        yield


def exit_if_terminated() -> None:
    """After a SIGTERM stopped the run and its cleanup ran: stop the sample workers (they went on
    drawing samples for a run that was gone, before as well) and exit now, status 143 (128 +
    SIGTERM), without Python's slow teardown."""
    if not _SIGTERM:
        return
    import multiprocessing
    import sys

    for child in multiprocessing.active_children():   # sample workers: they outlived the run
        child.terminate()
    print("neuroview: stopped (SIGTERM)", file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(128 + _SIGTERM[0])
