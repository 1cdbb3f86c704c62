"""A whole file locked between processes, on every system: ``fcntl.flock`` where there is
``fcntl`` (Linux, macOS), ``msvcrt.locking`` where there is ``msvcrt`` (Windows).

The system gives a lock back when its holder closes the file or dies (killed, out of memory), on
both: a killed process's lock file is stale, and the next process takes it. Windows' locks are
mandatory and lock bytes, not files: the byte locked is :data:`LOCK_BYTE`, far past any content,
so that the file's text (``neuroview train`` writes its process id there) stays readable by the
process that is refused. Windows has no shared lock: a shared lock is exclusive there (readers wait
for each other, briefly). An open file cannot be removed on Windows: :func:`close_and_remove`
closes it first, and the removal then fails while any other process has it open.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from typing import IO

LOCK_BYTE = 1 << 30
"""The byte Windows locks (1 GiB into the file: lock files hold a line of text)."""

WAIT_STEP_S = 0.05
"""How often a waiting lock tries again on Windows (``msvcrt`` blocks 10 s at most, then fails)."""

_HELD_ERRORS = (errno.EACCES, errno.EDEADLK, getattr(errno, "EDEADLOCK", errno.EDEADLK))
"""What ``msvcrt.locking`` raises for a byte another process has locked."""


def system_locking() -> str:
    """``"fcntl"``, ``"msvcrt"`` or ``""`` (no lock between processes): which the system has."""
    for name in ("fcntl", "msvcrt"):
        try:
            __import__(name)
        except ImportError:
            continue
        return name
    return ""


def lock(fd: int, *, shared: bool = False, wait: bool = True) -> bool:
    """Lock the open file ``fd`` (exclusive, or ``shared``); with ``wait`` until it is free, else
    ``False`` at once when another process holds it. ``True`` once held, and where the system
    has no lock between processes."""
    kind = system_locking()
    if kind == "fcntl":
        import fcntl

        flags = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            return False
        return True
    if kind == "msvcrt":
        while not _msvcrt_lock(fd):
            if not wait:
                return False
            time.sleep(WAIT_STEP_S)
    return True


def _msvcrt_lock(fd: int) -> bool:
    """One try at :data:`LOCK_BYTE` of ``fd``; the file's position is left as it was."""
    import msvcrt

    position = os.lseek(fd, 0, os.SEEK_CUR)
    os.lseek(fd, LOCK_BYTE, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as exc:
        if exc.errno in _HELD_ERRORS:
            return False
        raise
    finally:
        os.lseek(fd, position, os.SEEK_SET)
    return True


def close_and_remove(handle: IO, path: str | os.PathLike, still_ours=lambda: True) -> None:
    """Close ``handle`` (its lock goes with it) and remove its file at ``path`` when
    ``still_ours()`` (the file there is the one locked). With ``fcntl`` it is removed first, while
    held: a process that opened it meanwhile finds it gone once it gets the lock, and opens the
    next one. On Windows an open file cannot be removed: it is closed first, and the removal fails
    (the file is kept) while another process has it open."""
    if system_locking() == "msvcrt":
        ours = still_ours()
        handle.close()
        if ours:
            with contextlib.suppress(OSError):
                os.unlink(path)
        return
    with contextlib.suppress(OSError):
        if still_ours():
            os.unlink(path)
    handle.close()
