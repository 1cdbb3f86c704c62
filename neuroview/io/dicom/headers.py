"""Read the headers of many files: one parsing thread with the files fetched ahead, or worker
processes where they pay.

Header parsing holds the GIL, so parsing threads only fight over it: with the files in memory,
four parsing threads took 10-40 % more CPU than one (240 to 600 files, 2 Dec
2026, ``python bench/load.py --study enhanced|4d --scan-modes``). So one thread parses, in the
files' order, asking the kernel to fetch the next files' first bytes as it goes
(``posix_fadvise``; where the system lacks it, a few threads read them): files on a slow disk or
a network share are still fetched several at a time. Where it pays (two cores or more idle,
enough files, a single-threaded process that may fork: ``neuroview convert``, ``info``, a
script) the files are read by a pool of processes, which send their frame references back (the
frames' values only, without their pydicom datasets, which cost more to pickle than to parse;
see :mod:`.refs`).
"""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from typing import Optional

from ...core.collector import collector_off
from ...core.jobs import CancelToken, ProgressFn, check, report
from .quick_read import FIRST_READ
from .scan import FileScan, read_file

PROCESS_SCAN_MIN_FILES = 1000
"""Below this many files a process pool's start costs more than it saves. With neuroview's own
header reader (0.2-1 ms per file) a pool of two workers took as long in wall time as one
process on 240 and 600 files and 30-60 % more CPU (``bench/load.py --scan-modes``)."""


def scan_paths(files: list[str], progress: Optional[ProgressFn] = None,
               cancel: Optional[CancelToken] = None) -> list[FileScan]:
    """Read every file once, in the files' order (see the module's text)."""
    if _use_processes(files):
        return _scan_in_processes(files, progress, cancel)
    # pydicom warns about every oddity of real-world files; the scan reports what matters itself.
    with warnings.catch_warnings(), _reading_ahead(files) as ahead:
        warnings.simplefilter("ignore")
        cache: dict = {}  # converted header values shared by the files (header_value)
        return _collect(None, (read_file(path, cache) for path in ahead), len(files), progress,
                        cancel)


def cycle_collector_paused() -> contextlib.AbstractContextManager:
    """Python's cycle collector off while the block runs, in a single-threaded process (the
    command line, a script). A scan makes about 20 container objects per frame (86,400 frames
    in 7,200 enhanced files), none of them in a reference cycle, and the collector walked all
    the objects made so far each time their count grew by a quarter again: a fifth of the
    scan's CPU on 7,200 files. In the window (other threads running) it stays on."""
    return collector_off(threading.active_count() == 1)


READ_AHEAD_THREADS = 4
READ_AHEAD_BYTES = FIRST_READ
"""What neuroview's header reader reads of a file first."""
ADVISE_AHEAD = 32
"""Files asked for ahead of the one being parsed (``posix_fadvise``), at most."""
_ADVISE = getattr(os, "posix_fadvise", None)


def _read_ahead(paths: list[str], stop: Optional[threading.Event] = None) -> None:
    """Have the kernel fetch the first bytes of each file: asked with ``posix_fadvise`` (the
    kernel reads them in the background, nothing is copied here) where the system has it,
    else read."""
    for path in paths:
        if stop is not None and stop.is_set():
            return
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # the parse reports it
        try:
            if _ADVISE is not None:
                _ADVISE(fd, 0, READ_AHEAD_BYTES, os.POSIX_FADV_WILLNEED)
            else:
                os.read(fd, READ_AHEAD_BYTES)
        except OSError:
            pass
        finally:
            os.close(fd)


def _advised(files: list[str]):
    """``files`` in order, each asked for (``posix_fadvise``) up to :data:`ADVISE_AHEAD` files
    before it is parsed, half a window at a time, by the parsing thread itself. A thread doing
    it beside the parser took 0.05-0.1 s more CPU and 10 % more wall time for the 7,200 files of
    ``bench/load.py --study large`` (in the page cache, 2 Dec 2026, 17:01 UTC, load 7.5): each
    of its calls took the GIL back from the parser, on cores busy with other work."""
    ahead = 1  # the first file is read at once
    for index, path in enumerate(files):
        if ahead <= index + ADVISE_AHEAD // 2:
            _read_ahead(files[ahead:index + 1 + ADVISE_AHEAD])
            ahead = index + 1 + ADVISE_AHEAD
        yield path


@contextlib.contextmanager
def _reading_ahead(files: list[str]):
    """While the block runs (the caller parsing the files it gives, in order), fetch the
    files ahead: asked by the parsing thread as it goes (``posix_fadvise``, see
    :func:`_advised`), else read by a few threads (each every n-th file), which stop when the
    block ends."""
    if _ADVISE is not None:
        yield _advised(files)
        return
    stop = threading.Event()
    n = min(READ_AHEAD_THREADS, len(files) - 1)
    threads = [threading.Thread(target=_read_ahead, args=(files[1 + i::n], stop), daemon=True)
               for i in range(max(0, n))]
    for thread in threads:
        thread.start()
    try:
        yield files
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def _collect(pool, scans, total: int, progress, cancel) -> list[FileScan]:
    results: list[FileScan] = []
    for done, scan in enumerate(scans, start=1):
        if cancel is not None and cancel.cancelled:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            check(cancel)
        results.append(scan)
        if done % 16 == 0 or done == total:
            report(progress, done, total, "reading DICOM headers")
    return results


def _use_processes(files: list[str]) -> bool:
    # fork only from a single-threaded process (the command line, scripts): forking beside
    # other threads (the window's workers) can deadlock; spawn would import everything again.
    return (len(files) >= PROCESS_SCAN_MIN_FILES and idle_cores() >= 2
            and threading.active_count() == 1 and hasattr(os, "fork"))


def idle_cores() -> int:
    """Cores that no process is waiting for, by the load average of the last minute (0 where
    the system does not tell). Workers only pay where cores are idle: on cores that other work
    keeps busy, two workers and the parent that unpickles their frames took 0.7-0.8 s more CPU
    than one process for the 7,200-file study of ``bench/load.py --study large`` and no less
    wall time (2 Dec 2026, 14:26-14:35 UTC, 2 cores, load average 7-8)."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0
    return int((os.cpu_count() or 1) - load)


_worker_cache: dict = {}


def _read_quietly(path: str) -> FileScan:
    """Worker process: one file, pydicom's warnings off, values shared within the worker."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_file(path, _worker_cache)


def _scan_in_processes(files: list[str], progress, cancel) -> list[FileScan]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(max(2, idle_cores()), 16, max(1, len(files) // 16))
    chunk = max(1, min(32, len(files) // (4 * workers)))
    context = multiprocessing.get_context("fork")  # the workers inherit pydicom: no imports
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return _collect(pool, pool.map(_read_quietly, files, chunksize=chunk), len(files),
                        progress, cancel)
