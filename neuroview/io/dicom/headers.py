"""Read the headers of many files at once: threads, or worker processes where they pay.

Header parsing holds the GIL, so threads only overlap the reads. Where it pays (several
cores, enough files, a single-threaded process that may fork: ``neuroview convert``, ``info``,
a script) the files are read by a pool of processes, which send their frame references back
(the frames' values only, without their pydicom datasets, which cost more to pickle than to parse;
see :mod:`.refs`). Inside the window, whose workers are threads, the thread pool reads them.
"""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Optional

from ...core.jobs import CancelToken, ProgressFn, check, report
from .scan import FileScan, read_file

PROCESS_SCAN_MIN_FILES = 1000
"""Below this many files a process pool's start costs more than it saves. With neuroview's own
header reader (0.2-1 ms per file) a pool of two workers took as long in wall time as one
process on 240 and 600 files and 30-60 % more CPU (``bench/load.py --scan-modes``)."""


def scan_paths(files: list[str], progress: Optional[ProgressFn] = None,
               cancel: Optional[CancelToken] = None) -> list[FileScan]:
    """Read every file once, several at a time, in the files' order (see the module's text)."""
    if _use_processes(files):
        return _scan_in_processes(files, progress, cancel)
    workers = min(8, 2 * (os.cpu_count() or 1))
    # pydicom warns about every oddity of real-world files; the scan reports what matters itself.
    with warnings.catch_warnings(), ThreadPoolExecutor(max_workers=workers) as pool:
        warnings.simplefilter("ignore")
        cache: dict = {}  # converted header values shared by the files (header_value)
        return _collect(pool, pool.map(partial(read_file, cache=cache), files), len(files),
                        progress, cancel)


def _collect(pool, scans, total: int, progress, cancel) -> list[FileScan]:
    results: list[FileScan] = []
    for done, scan in enumerate(scans, start=1):
        if cancel is not None and cancel.cancelled:
            pool.shutdown(wait=False, cancel_futures=True)
            check(cancel)
        results.append(scan)
        if done % 16 == 0 or done == total:
            report(progress, done, total, "reading DICOM headers")
    return results


def _use_processes(files: list[str]) -> bool:
    import threading

    # fork only from a single-threaded process (the command line, scripts): forking beside
    # other threads (the window's workers) can deadlock; spawn would import everything again.
    return ((os.cpu_count() or 1) > 1 and len(files) >= PROCESS_SCAN_MIN_FILES
            and threading.active_count() == 1 and hasattr(os, "fork"))


_worker_cache: dict = {}


def _read_quietly(path: str) -> FileScan:
    """Worker process: one file, pydicom's warnings off, values shared within the worker."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_file(path, _worker_cache)


def _scan_in_processes(files: list[str], progress, cancel) -> list[FileScan]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, 16, max(1, len(files) // 16))
    chunk = max(1, min(32, len(files) // (4 * workers)))
    context = multiprocessing.get_context("fork")  # the workers inherit pydicom: no imports
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return _collect(pool, pool.map(_read_quietly, files, chunksize=chunk), len(files),
                        progress, cancel)
