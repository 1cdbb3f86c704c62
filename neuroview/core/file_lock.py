"""One writer at a time across processes: an exclusive ``flock`` on a lock file; readers that
must not see a writer's work half done take it shared."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import IO, Iterator, Optional

DATASET_LOCK = ".neuroview.lock"
"""A training set's lock file (in its folder): its writers (``dataset.layout.locked``) hold it
exclusive, readers listing its cases (``ai.finetune.read_dataset``) shared."""


@contextlib.contextmanager
def exclusive_lock(lock_path: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (created if missing) for the ``with`` block; other
    processes locking the same file wait. Windows has no ``fcntl``: single-process use only."""
    handle = open(Path(lock_path), "a+")
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        except ImportError:
            pass
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def shared_lock(lock_path: str | os.PathLike) -> Iterator[None]:
    """Hold ``lock_path`` shared for the ``with`` block: several readers at once, no writer (an
    :func:`exclusive_lock` waits, and is waited for). A lock file that does not exist or cannot be
    opened (a read-only copy no writer uses) is not waited for."""
    try:   # O_NONBLOCK: a FIFO put in the lock file's place must not hang the reader
        handle = os.fdopen(os.open(Path(lock_path), os.O_RDONLY | os.O_NONBLOCK), "r")
    except OSError:
        yield
        return
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        yield
        return
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
        except ImportError:
            pass
        yield
    finally:
        handle.close()


def try_exclusive_lock(lock_path: str | os.PathLike) -> Optional[IO]:
    """An exclusive lock on ``lock_path`` (created if missing) taken now, or ``None`` when another
    process holds it. The lock lasts until the returned file is closed, or the process ends (a
    killed process's lock goes with it). Windows has no ``fcntl``: always taken there."""
    handle = open(Path(lock_path), "a+")
    try:
        import fcntl
    except ImportError:
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    except OSError:
        handle.close()
        raise
    return handle
