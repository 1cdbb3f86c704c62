"""``msvcrt.locking`` as Windows does it, on Linux, for the tests of neuroview's Windows branch of
``core.os_lock``: the bytes locked start at the file's current position, a byte another process
holds refuses ``LK_NBLCK`` with ``EACCES``, and the lock goes when its holder closes the file or
dies. The kernel's POSIX record locks (``fcntl.lockf`` on that byte range) do the excluding, so
two processes really exclude each other. What they do not reproduce: Windows' locks are
mandatory (a locked byte cannot be read) and per handle (two handles of one process exclude each
other), and Windows cannot remove an open file; test across processes, never within one.

:func:`pretend_windows` makes this process look like Windows where neuroview looks: ``import
fcntl`` fails and ``import msvcrt`` gives this module."""

from __future__ import annotations

import errno
import fcntl as _fcntl
import os
import sys

LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4   # as msvcrt numbers them

calls: list = []
"""``(mode, start, nbytes)`` of each call, for the tests."""


def locking(fd: int, mode: int, nbytes: int) -> None:
    start = os.lseek(fd, 0, os.SEEK_CUR)
    calls.append((mode, start, nbytes))
    if mode == LK_UNLCK:
        _fcntl.lockf(fd, _fcntl.LOCK_UN, nbytes, start, os.SEEK_SET)
        return
    if mode not in (LK_NBLCK, LK_NBRLCK):
        raise NotImplementedError("the waiting modes retry 10 times a second apart; not faked")
    # POSIX needs a handle open for writing to lock it exclusive; Windows does not: a read-only
    # handle takes a read lock, which still excludes every writer
    writable = _fcntl.fcntl(fd, _fcntl.F_GETFL) & os.O_ACCMODE != os.O_RDONLY
    try:
        _fcntl.lockf(fd, (_fcntl.LOCK_EX if writable else _fcntl.LOCK_SH) | _fcntl.LOCK_NB,
                     nbytes, start, os.SEEK_SET)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            raise OSError(errno.EACCES, "Permission denied") from None
        raise


def pretend_windows() -> None:
    """``import fcntl`` raises ImportError from now on in this process, ``import msvcrt`` gives
    this module (what a Windows Python has, as far as the lock code looks)."""
    sys.modules["fcntl"] = None   # an ImportError on import, as on Windows
    sys.modules["msvcrt"] = sys.modules[__name__]
