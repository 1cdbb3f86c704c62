"""One writer at a time across processes: an exclusive lock on a lock file (``flock``, on Windows
``msvcrt.locking``: ``os_lock``); readers that must not see a writer's work half done take it
shared (exclusive on Windows, which has no shared lock)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import IO, Iterator, Optional

from .atomic import make_parent, private_opener
from .errors import NeuroviewError
from .os_lock import close_and_remove, lock

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
"""O_NONBLOCK: a FIFO put in the lock file's place must not hang the reader (Windows has none,
and no FIFO there)."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

DATASET_LOCK = ".neuroview.lock"
"""A training set's lock file (in its folder): its writers (``dataset.layout.locked``) hold it
exclusive, readers listing its cases (``ai.finetune.read_dataset``) shared."""


@contextlib.contextmanager
def exclusive_lock(lock_path: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (created if missing) for the ``with`` block; other
    processes locking the same file wait. A lock file that is not a regular file (a named pipe or
    a link planted in a training set someone handed over) is :class:`NeuroviewError` naming it:
    a named pipe was ``internal error: UnsupportedOperation: File or stream is not seekable``."""
    path = Path(lock_path)
    try:
        fd = private_opener(path, os.O_RDWR | os.O_CREAT | _NONBLOCK | _NOFOLLOW)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise NeuroviewError("lock file is a symbolic link: remove it", path=path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NeuroviewError("lock file is not a regular file (a named pipe or a device): "
                                 "remove it", path=path)
        lock(fd)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def shared_lock(lock_path: str | os.PathLike) -> Iterator[None]:
    """Hold ``lock_path`` shared for the ``with`` block: several readers at once, no writer (an
    :func:`exclusive_lock` waits, and is waited for). A lock file that does not exist or cannot be
    opened (a read-only copy no writer uses) is not waited for."""
    try:
        handle = os.fdopen(os.open(Path(lock_path), os.O_RDONLY | _NONBLOCK), "r")
    except OSError:
        yield
        return
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        yield
        return
    try:
        lock(handle.fileno(), shared=True)
        yield
    finally:
        handle.close()


def try_exclusive_lock(lock_path: str | os.PathLike) -> Optional[IO]:
    """An exclusive lock on ``lock_path`` (created if missing) taken now, or ``None`` when another
    process holds it. The lock lasts until the returned file is closed, or the process ends (a
    killed process's lock goes with it).

    Lock files may be removed (:func:`release_and_remove`, :func:`is_held`), always by a
    process holding their lock: a file that was removed (or replaced) between its opening here and
    its locking is let go and the file now in its place locked, or two processes would each hold a
    lock, on the removed file and on the new one."""
    path = Path(lock_path)
    while True:
        handle = open(path, "a+", opener=private_opener)
        try:
            taken = lock(handle.fileno(), wait=False)
        except OSError:
            handle.close()
            raise
        if not taken:
            removed = not _is_file_at(handle, path)   # its holder is removing it: try again
            handle.close()
            if removed:
                continue
            return None
        if _is_file_at(handle, path):
            return handle
        handle.close()


@contextlib.contextmanager
def saving_lock(target: str | os.PathLike) -> Iterator[None]:
    """Hold the lock of a save of ``target`` (a user's file: a labels file, a DICOM SEG), waiting
    for another process's save of it to end; its lock file (``.NAME.lock`` beside it) is removed
    after, so no lock file stays beside the user's files. Two windows saving one labels file at
    once (two annotators on one case) each deleted the other's temporaries as a killed save's:
    one save failed (``No such file or directory``), or said *Saved* with the other's labels in
    the file."""
    target = Path(target)
    path = target.with_name(f".{target.name}.lock")
    make_parent(target.parent)   # as the save makes it
    while True:
        handle = open(path, "a+", opener=private_opener)
        try:
            lock(handle.fileno())
        except OSError:
            handle.close()
            raise
        if _is_file_at(handle, path):
            break
        handle.close()   # removed by the save before, which held it: lock the file now there
    try:
        yield
    finally:
        release_and_remove(handle, path)


def _is_file_at(handle: IO, path: Path) -> bool:
    """Whether ``handle`` is the file at ``path`` now (not removed or replaced since it was opened)."""
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.lstat(path))
    except OSError:
        return False


def release_and_remove(handle: IO, lock_path: str | os.PathLike) -> None:
    """Give up a lock :func:`try_exclusive_lock` took, and remove its file (lock files otherwise
    pile up, empty, one per name ever locked). Removed while still held: a process that opened the
    file meanwhile finds it gone once it gets the lock, and locks the next one. (Windows: closed
    first, then removed unless another process has it open: ``os_lock.close_and_remove``.)"""
    close_and_remove(handle, lock_path, lambda: _is_file_at(handle, Path(lock_path)))


def is_held(lock_path: str | os.PathLike) -> bool:
    """Whether a process holds ``lock_path`` now; a lock file nobody holds (its holder was killed,
    or it was only looked at) is removed. A missing file is not created."""
    try:
        handle = os.fdopen(os.open(Path(lock_path), os.O_RDONLY | _NONBLOCK), "r")
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return False
        try:
            taken = lock(handle.fileno(), wait=False)
        except OSError:
            return False
        if not taken:
            return _is_file_at(handle, Path(lock_path))   # held, unless removed meanwhile
        close_and_remove(handle, lock_path, lambda: _is_file_at(handle, Path(lock_path)))
        return False
    finally:
        handle.close()
