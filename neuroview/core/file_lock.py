"""One writer at a time across processes: an exclusive ``flock`` on a lock file."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator


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
