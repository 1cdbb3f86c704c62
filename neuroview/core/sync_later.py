"""A small file's fsyncs off the thread that wrote it, as the crash journal's (``core.journal_sync``).

:func:`write_text_soon_durable` writes the file atomically (a temporary beside it, renamed into
place) on the caller's thread, so a kill of neuroview, even ``kill -9``, finds the new file or the
old one from then on (the bytes and the rename are the kernel's), then hands the fsyncs of the
file and of its folder to one background thread (a power cut a few milliseconds later cannot lose
it either). The fsyncs were most of a keep's 11-13 ms on the GUI thread (``bench/measure_keep.py``).
An fsync that fails is logged: the file stays as written, as the kernel holds it. A power cut in
the milliseconds between the rename and the fsyncs may find the old file, or, on a filesystem
that does not write a renamed file's data first (ext4 does: ``auto_da_alloc``), an empty one,
said as damaged when read (``core.settings_file``). Only for small files a change writes again.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .atomic import atomic_path, fsync_dir

log = logging.getLogger("neuroview.sync")
_syncer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="settings fsync")


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return   # replaced or deleted since: the newer write or delete syncs its own
    try:
        os.fsync(fd)
    except OSError as exc:
        log.warning("%s: fsync failed (%s)", path.name, exc.strerror)
    finally:
        os.close(fd)
    fsync_dir(path.parent)


def write_text_soon_durable(path: str | os.PathLike, text: str) -> Future:
    """Write ``text`` (UTF-8) to ``path`` atomically now, durable soon; the future is done once
    the fsyncs ran."""
    path = Path(path)
    with atomic_path(path, durable=False) as tmp:
        tmp.write_bytes(text.encode("utf-8"))
    return _syncer.submit(_fsync, path)
