"""The crash journal's fsync, off the thread that edits: one thread per journal, for its life.

``Journal._append`` writes a record and flushes it to the operating system on the thread that
edits (a kill -9 of neuroview cannot lose it from then on: the bytes are the kernel's), then tells
this :class:`Syncer`, whose thread fsyncs the file (then a power cut cannot lose it either).
Records written while an fsync runs are made durable together by the next one (a group commit),
so a step waits for at most two fsyncs before it is safe on the disk; :attr:`Syncer.synced` counts
the records that are. A journal file just created (the first step of a generation) has its
folder fsync'ed here too, after the file and before its records count as synced: before session
51 the thread that edits did that and started a new thread for each generation's file, which made
the first step after a compaction cost ~3 ms more than the others at load 1 and a median 23-40 ms
more at load 12-20 (``bench/first_step.py``; now 0.2 ms, the file's creation).
``bench/journal_step_time.py`` measured the fsync on the thread that edits
at a median 2-14 ms (90th percentile 8-53 ms) of a 2-45 ms stroke, fill or undo on the shared test
machine, the disk quiet or kept busy (README, Crash recovery).

An fsync that fails (a full or failing disk) is raised by :meth:`Syncer.raise_failed`, which
``Journal._append`` calls before it writes the next record: the next step says the journal cannot
be written (the edit is kept in memory, as when a write fails), one step later than when the fsync
ran on the thread that edits. No fsync runs until it was raised; the next one covers the records
the failed one did not (Linux may have dropped those pages meanwhile: the message says to save).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Optional

from .atomic import fsync_dir


class Syncer:
    """fsyncs the journal's open file from a thread of its own whenever records were written. One
    thread serves a journal for its life: each generation's file is handed to it in turn
    (:meth:`follow`, :meth:`release`), so the first step after a compaction starts no thread."""

    def __init__(self):
        self._fd: Optional[int] = None
        self._folder: Optional[Path] = None
        """The folder of a file created since its last fsync: fsync'ed after it (its name made durable)."""
        self._changed = threading.Condition()
        self.written = 0
        """Records written to the file followed and flushed to the operating system."""
        self.synced = 0
        """Records of those that an fsync has put on the disk (it returned without an error)."""
        self._error: Optional[OSError] = None
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="journal fsync", daemon=True)
        self._thread.start()

    def follow(self, fd: int, created_in: Optional[Path] = None) -> None:
        """Sync the open file ``fd`` from now on (none was followed, or it was released);
        ``created_in``: the file was just created there, and that folder is fsync'ed after the
        file's first fsync, before a record counts as synced (a power cut keeps the file's name)."""
        with self._changed:
            self._fd, self._folder = fd, created_in
            self.written = self.synced = 0

    def release(self) -> None:
        """Sync what is written, then stop following the file (it may be closed after this); the
        thread waits for the next file. A failed fsync is raised here, as by :meth:`close`."""
        with self._changed:
            self._changed.wait_for(lambda: self.synced == self.written or self._error is not None)
            self._fd, self._folder = None, None
            self.written = self.synced = 0
        self.raise_failed()

    def wrote(self) -> None:
        """One more record was written and flushed: fsync it soon."""
        with self._changed:
            self.written += 1
            self._changed.notify_all()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Block until every record written is synced (False: ``timeout`` seconds passed first);
        an fsync that failed is raised here, and again by the next :meth:`raise_failed`."""
        with self._changed:
            done = self._changed.wait_for(lambda: self.synced == self.written or self._error,
                                          timeout)
            if self._error is not None:
                raise self._error
            return bool(done)

    def close(self) -> None:
        """Sync what is written, then end the thread (the file may be closed after this)."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join()
        self.raise_failed()

    def raise_failed(self) -> None:
        """Raise (once) the OSError of an fsync that failed; the records it did not sync are
        synced again by the next fsync, which runs after this (a record written then, or close)."""
        with self._changed:
            if self._error is not None:
                error, self._error = self._error, None
                self._changed.notify_all()
                raise error

    def _due(self) -> bool:
        return self._fd is not None and self.written != self.synced and self._error is None

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._due() or self._closing)
                if not self._due():
                    return   # closing: nothing left to sync, or its fsync failed
                target, fd, folder = self.written, self._fd, self._folder
            try:
                os.fsync(fd)
                if folder is not None:
                    fsync_dir(folder)
            except OSError as exc:
                with self._changed:
                    self._error = exc
                    self._changed.notify_all()
                continue
            with self._changed:   # the file is still followed: release waits for this
                self.synced = target
                if folder is not None:
                    self._folder = None
                self._changed.notify_all()
