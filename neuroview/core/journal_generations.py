"""Compaction of a workspace journal (``core.journal``): the whole label map stored as the base of
a new generation, and the switch to it.

:meth:`Generations.compact` writes the label map as ``base-G+1.npz`` (atomically, with the image
key), then switches ``workspace.json`` to generation ``G+1`` (one atomic rename: the commit point),
then deletes the old journal, base, blobs and pending bases. A base may be written by a worker
thread (:meth:`Generations.write_base` without a generation: a ``pending-*.npz``) while edits go on.
:meth:`Generations.adopt_key` compacts a workspace an older neuroview keyed under the key of now.

A base class of :class:`~neuroview.core.journal.Journal`, not used alone: it reads the journal's
folder, key, generation and metadata writer.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from pathlib import Path
from typing import Optional

import numpy as np

from .atomic import atomic_path, fsync_dir
from .journal_checks import VERSION
from .journal_records import BLOB as _BLOB
from .npz_file import write_npz

_PENDING = re.compile(r"^pending-[0-9a-f]{16}\.npz$")


class Generations:
    """The compaction commands of :class:`~neuroview.core.journal.Journal`."""

    def adopt_key(self, key: str, labels: np.ndarray, segments: list, editing_seconds: float,
                  saved: bool = False) -> None:
        """A workspace read with an :attr:`older` key becomes the image's of ``key`` (its key
        now): the label map (as restored, or as started afresh) is compacted under it, so the
        records and base carrying the older key are gone; one holding neither only has
        ``workspace.json`` rewritten (no label map compressed on the GUI thread)."""
        old = self.key, self.older, self.unverified
        self.key, self.older, self.unverified = key, None, False
        try:
            if self.generation == 0 and not self.has_records():
                self._write_meta()
            else:
                self.compact(labels, segments, editing_seconds, saved=saved)
        except BaseException:   # the old generation, under the older key, is still the current one
            self.key, self.older, self.unverified = old
            raise

    def compact(self, labels: np.ndarray, segments: list, editing_seconds: Optional[float] = None,
                saved: bool = False) -> None:
        """Store the current state as a base and start an empty journal (history is not kept).

        Crash-safe at every point: the new base is written beside the old generation, and only
        the atomic rewrite of ``workspace.json`` switches to it. If this raises (disk full, a kill
        simulated in a test), the old generation is still the current one and appending goes on.
        ``saved``: the state stored is the one last saved (:attr:`base_saved`).
        """
        generation = self.generation + 1
        self.switch(generation, editing_seconds, self.write_base(labels, segments, generation), saved)

    def write_base(self, labels: np.ndarray, segments: list, generation: Optional[int] = None) -> Path:
        """Write a base (compressed, fsync'ed: the slow part of a compaction) as
        ``base-GENERATION.npz``, or without ``generation`` as a ``pending-*.npz`` that a worker
        thread may write while edits go on: nothing refers to it until :meth:`switch`."""
        self._own()
        name = f"base-{generation}.npz" if generation else f"pending-{secrets.token_hex(8)}.npz"
        with atomic_path(self.folder / name) as tmp:
            with open(tmp, "wb") as handle:   # the GUI thread runs between its chunks
                write_npz(handle, {"labels": labels, "segments": np.array(json.dumps(segments)),
                                   "image_key": np.array(self.key)})
        return self.folder / name

    def switch(self, generation: int, editing_seconds: Optional[float], base: Path,
               saved: bool = False) -> None:
        """Make ``base`` (:meth:`write_base`'s) the state of ``generation``: one atomic rename of
        ``workspace.json``; then the old journal, base, blobs and pending bases go."""
        self._own()
        with self.lock:
            self._switch(generation, editing_seconds, base, saved)

    def _switch(self, generation: int, editing_seconds: Optional[float], base: Path, saved: bool) -> None:
        old_journal, old_base = self.journal_path, self.base_path
        self._close_file()
        new_journal = self.folder / f"journal-{generation}.bin"
        if new_journal.exists():  # left by a compaction that crashed before its switch
            new_journal.unlink()
        named = self.folder / f"base-{generation}.npz"
        if base != named:
            os.replace(base, named)
            fsync_dir(self.folder)
        seconds = self.base_editing_seconds if editing_seconds is None else float(editing_seconds)
        was_saved, self.base_saved = self.base_saved, saved
        try:
            self._write_meta(generation, seconds)  # the switch: this one atomic rename
        except OSError:   # not switched (only the rename could fail): the base is no generation's
            self.base_saved = was_saved
            with contextlib.suppress(OSError):
                named.unlink()
            raise
        except BaseException:
            self.base_saved = was_saved
            raise
        self._meta_version = VERSION
        self.generation, self.base_editing_seconds = generation, seconds
        self.size = self.record_count = 0
        leftovers = [path for path in self.folder.iterdir()
                     if _BLOB.match(path.name) or _PENDING.match(path.name)]
        for path in (old_journal, old_base, *leftovers):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
