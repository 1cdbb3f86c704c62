"""Crash-safe journal of committed edits in a workspace folder.

Every committed step (a stroke, an applied tool, a model result, a segment edit, an undo, a redo)
is appended to ``journal-G.bin`` and flushed to the operating system before the call returns (so
is a short ``drop`` record when the steps undone are forgotten without a new step: a ruler drawn),
so after a crash of neuroview (even SIGKILL) reopening the same image with the same workspace
rebuilds exactly the state after the last committed step. Each record is fsync'ed by a thread of
its own (``core.journal_sync``: the fsync was most of a stroke's or an undo's time on the thread
that edits), within two fsyncs' time, so a power cut or an operating system crash loses at most the
steps of those last milliseconds (:attr:`Journal.synced_records` counts the records that are safe
from it; :meth:`Journal.close` waits for them all). The records (``core.journal_records``) carry
the image key: one copied from another image's journal is skipped (:attr:`Journal.foreign`), never replayed.

A torn record at the end (the crash hit mid-write) ends the journal: it is not replayed, and
the file is truncated there before new records are appended (or by :meth:`Journal.drop_cut`
once the user was told: :attr:`Journal.cut` says what it was; an empty journal file is one
whose first record was being written). A damaged record with intact records after
it (a disk fault) is skipped (``core.journal_scan``) and listed in :attr:`Journal.damage`;
:meth:`Journal.keep_damaged` copies the journal aside before anything rewrites it. Each header may carry
``edit_s``, the case's editing time when the record was written, so a restore keeps the clock.
An undo or redo record is short (the id of a step earlier in the same journal) unless its step was
committed before the last compaction: then it carries the whole step, so it replays on the base.

Beside the journal, ``workspace.json`` (written atomically) names the image the workspace belongs
to by a key alone (``core.image_keys``: shape, affine, dtype and every voxel hashed, so a workspace
is never applied to another image; one written by an older neuroview carries the key it gave the
image, read as :attr:`Journal.older` when the caller gives that key too, :attr:`Journal.unverified`
for a key of 4,096 sampled voxels (before session 33); ``adopt_key`` rekeys it), the current
generation ``G`` and the version (2; a version 1 workspace, whose records and base name no
image, is read, and becomes version 2 with ``unkeyed_generation: G`` on its first append, so
that only generation ``G`` may hold unkeyed files); ``segments.json`` (atomic) mirrors the
segment table for other programs. :meth:`Journal.compact`
(``core.journal_generations``) writes the whole label map as ``base-G+1.npz`` (atomically, with
the key), then switches ``workspace.json`` to generation ``G+1`` (one atomic rename: the commit
point), then deletes the old journal and base.
A crash before the switch restores generation ``G``, after it generation ``G+1``; both hold the
same state, so the journal can be compacted at any time. The base may be written by a worker
thread (``core.journal_checkpoint``), and so may the switch: it holds :attr:`Journal.lock`,
which every append holds too, and happens only if nothing was appended since the snapshot.
A forked copy of the process never writes the journal (``core.journal_fork``: :attr:`Journal.inherited`).

A big step (Load labels: every voxel of the volume) may keep its voxels in a file of its own,
``blob-*.bin``, written and fsync'ed by a worker thread (``journal_records.write_blob``) before the
record naming it (with its size and CRC) is appended: the thread that appends writes a few hundred
bytes.
A record whose blob is missing or does not match is damaged, as a record with a wrong CRC is.
Compaction deletes the blobs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
import time
import tokenize
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Iterator, Optional

import numpy as np

from .atomic import fsync_dir, make_parent, private_opener, write_text_atomic
from .errors import GeometryError, NeuroviewError
from .image_keys import image_key, is_sampled
from .journal_checks import VERSION, check_generation, check_meta, check_regular, npy_shape, regular_size
from .journal_fork import track
from .journal_generations import Generations
from .journal_records import BLOB as _BLOB
from .journal_records import DECODE_ERRORS as _DECODE_ERRORS
from .journal_records import MAGICS, Record, decode, encode, no_links
from .journal_scan import HEAD as _HEAD
from .journal_scan import Cut, Damage, scan
from .journal_sync import Syncer
from .jsonfile import parse_json, read_json, said_json
from .undo import Step
from .workspace_names import os_reason, shown_path

__all__ = ["VERSION", "Journal", "Record", "WorkspaceError", "image_key"]

FORMAT = "neuroview-workspace"
_TEMPORARY = re.compile(r"^\.[\w.-]+\.[A-Za-z0-9_]{8}\.(npz|json|bin|tmp)$")  # atomic_path's names
_OURS = re.compile(r"^(workspace\.json|segments\.json|journal-\d+\.bin|base-\d+\.npz|blob-.*|"
                   r"pending-.*|proposal.*\.npz)$")
"""The files of a workspace: each must be a regular file (a link was written through)."""


class WorkspaceError(NeuroviewError):
    """A workspace folder is unreadable or belongs to another image."""


_BASE_ERRORS = (*_DECODE_ERRORS, OSError, EOFError, zipfile.BadZipFile, zlib.error,
                NotImplementedError, RuntimeError, tokenize.TokenError)
"""How a damaged ``.npz`` fails: zipfile says NotImplementedError for a compression method
flipped into another, RuntimeError for an encryption flag flipped on; numpy's reading of an
array's header with a bracket left open, tokenize's TokenError (not a ValueError)."""


class Journal(Generations):
    """The workspace folder of one image: append committed steps, read them back after a crash."""

    def __init__(self, folder: str | os.PathLike, key: str, shape: Optional[tuple] = None,
                 older_keys: Callable[[], tuple] = tuple):
        """``shape``: the image's (3 axes); a record or base that does not fit it is damage.
        ``older_keys``: returns the keys older neuroviews gave the image (``Volume.older_keys``),
        called only for a workspace that names another key: one carrying an older key is read
        with it, :attr:`older`."""
        self.folder = Path(folder)
        self.key = key
        self.older_keys = older_keys
        self.older: Optional[str] = None
        """The older key the workspace names its image by (``None``: ``key``), until
        :meth:`adopt_key` makes it this image's."""
        self.unverified = False
        """That older key is a sampled one (written before session 33): its edits fit an image
        with these voxels at 4,096 places, not checked voxel for voxel."""
        self.shape = None if shape is None else tuple(int(n) for n in shape[:3])
        self._handle = None
        self._syncer: Optional[Syncer] = None
        """The fsync thread (``core.journal_sync``), from the first append until :meth:`close`."""
        self.generation = 0
        self.base_editing_seconds = 0.0
        """Editing time stored with the base at the last compaction."""
        self.base_saved = False
        """The base is the label map as last saved (a file, a SEG, a training case)."""
        self.ever_saved: Optional[bool] = False
        """A label map of this image was saved while the workspace kept its edits (``None``: a
        workspace written before session 45, which did not say): a restore's question says
        "never saved" rather than "since the last save" when none was."""
        self.size = 0
        """Bytes of intact records in the current journal file (known once appending began)."""
        self.record_count = 0
        self.damage: list[Damage] = []
        """What the last :meth:`records` skipped: damaged records with intact ones after them."""
        self.foreign: list[Record] = []
        """Intact records of another image the last :meth:`records` skipped (a copied file)."""
        self.cut: Optional[Cut] = None
        """The record the last :meth:`records` found cut short at the end (a kill mid-write; an
        empty journal file: its first record), ``None`` when the journal ends whole."""
        self._meta_version = VERSION
        self._unkeyed_generation: Optional[int] = None
        """The generation whose journal and base were written before records carried the key."""
        self.lock = threading.RLock()
        """Held by each append and file write, and by a compaction's switch from start to end
        (a worker's: ``core.journal_checkpoint``), so that no record lands between its check
        that nothing was appended and its switch."""
        self.inherited = False
        """This is a forked copy's object of its parent's journal: it writes nothing
        (``core.journal_fork``)."""
        track(self)
        self._open_folder()

    # -- folder and files ---------------------------------------------------------------------
    def named(self, path=None) -> str:
        """The workspace, or a file in it, as messages name it (no absolute path)."""
        return shown_path(self.folder, path)

    @property
    def meta_path(self) -> Path:
        return self.folder / "workspace.json"

    @property
    def segments_path(self) -> Path:
        return self.folder / "segments.json"

    @property
    def journal_path(self) -> Path:
        return self.folder / f"journal-{self.generation}.bin"

    @property
    def base_path(self) -> Path:
        return self.folder / f"base-{self.generation}.npz"

    def _open_folder(self) -> None:
        try:
            make_parent(self.folder)   # 0700 in neuroview's data folder (core.atomic)
        except OSError as exc:
            raise WorkspaceError(f"cannot create workspace folder ({exc.strerror})",
                                 path=self.named()) from None
        for path in self.folder.iterdir():  # temporaries of writes a kill interrupted
            if _TEMPORARY.match(path.name):
                with contextlib.suppress(OSError):
                    path.unlink()
        try:
            check_regular(self.folder, _OURS.match)
        except (OSError, ValueError) as exc:
            raise WorkspaceError(f"this workspace cannot be used: {os_reason(exc)}",
                                 path=self.named()) from None
        if self.meta_path.exists():
            try:
                meta = read_json(self.meta_path)
            except (OSError, ValueError) as exc:
                raise WorkspaceError(f"workspace.json is unreadable ({os_reason(exc)})",
                                     path=self.named(self.meta_path)) from None
            try:   # read, but of the wrong shape: said as such ("unreadable" it was not)
                check_meta(meta, VERSION)
                check_generation(self.folder, meta.get("generation", 0))
            except (OSError, ValueError) as exc:
                raise WorkspaceError(f"workspace.json cannot be used ({os_reason(exc)})",
                                     path=self.named(self.meta_path)) from None
            if meta.get("format") != FORMAT:
                raise WorkspaceError(f"not a neuroview workspace (workspace.json's format is "
                                     f"{said_json(meta.get('format'))}, not {FORMAT!r})",
                                     path=self.named())
            named = meta.get("image_key")
            if named != self.key and named in self.older_keys():   # its records and base carry it
                self.key, self.older, self.unverified = named, named, is_sampled(named)
            elif named != self.key:
                raise GeometryError(
                    "this workspace belongs to another image",
                    path=self.named(), hint="choose an empty folder or the image it was made for")
            self.generation = meta.get("generation", 0)
            self._meta_version = meta.get("version", 1)
            self._unkeyed_generation = (self.generation if self._meta_version == 1
                                        else meta.get("unkeyed_generation"))
            self.base_editing_seconds = float(meta.get("editing_seconds", 0.0))
            self.base_saved = meta.get("saved") is True
            self.ever_saved = meta.get("ever_saved") if isinstance(meta.get("ever_saved"), bool) else None
        else:
            self._write_meta()

    def _own(self) -> None:
        """Refuse to write in a forked copy of the process (:attr:`inherited`)."""
        if self.inherited:
            raise WorkspaceError(f"this process (pid {os.getpid()}) is a forked copy of the one "
                                 "that edits this image: it does not write its crash journal",
                                 path=self.named())

    def _write_meta(self, generation: Optional[int] = None, editing_seconds: Optional[float] = None) -> None:
        # no series description or file name: the workspace outlives the case and holds nothing
        # that names the patient or study (README, "Security and privacy")
        self._own()
        with self.lock:   # the generation read and written before a worker's switch, or after it
            generation = self.generation if generation is None else generation
            meta = {"format": FORMAT, "version": VERSION, "image_key": self.key, "generation": generation,
                    "editing_seconds": round(self.base_editing_seconds if editing_seconds is None
                                             else float(editing_seconds), 3)}
            if self._unkeyed_generation == generation:   # its records and base still name no image
                meta["unkeyed_generation"] = generation
            if self.base_saved:
                meta["saved"] = True
            if self.ever_saved is not None:
                meta["ever_saved"] = self.ever_saved
            write_text_atomic(self.meta_path, json.dumps(meta, indent=1))

    def close(self) -> None:
        """Sync the records written (waits for the fsync thread) and close the file. An fsync
        failing here is not raised: the records are written, and the case is closing. Nothing in
        a forked copy (:attr:`inherited`: the parent's file is closed with the copy)."""
        if self.inherited:
            return
        with self.lock:
            try:
                self._close_file()
            finally:
                if self._syncer is not None:
                    with contextlib.suppress(OSError):
                        self._syncer.close()
                    self._syncer = None

    def _close_file(self) -> None:
        """Sync the records written and close the file; the fsync thread waits for the next
        generation's file (a compaction's switch: its first step starts no thread)."""
        if self._handle is not None:
            try:
                with contextlib.suppress(OSError):
                    self._syncer.release()
            finally:
                self._handle.close()
                self._handle = None

    def wait_synced(self, timeout: Optional[float] = None) -> bool:
        """Block until every record appended is fsync'ed (False: ``timeout`` passed first); a
        failed fsync is raised (OSError). A forked copy has no fsync thread: WorkspaceError."""
        self._own()
        return self._handle is None or self._syncer.wait(timeout)

    @property
    def synced_records(self) -> int:
        """Records of this journal file appended by this object and fsync'ed (safe from a power
        cut); every record appended is safe from a kill of neuroview as soon as it is appended."""
        return self.record_count if self._handle is None else self.record_count - (
            self._syncer.written - self._syncer.synced)

    # -- reading ------------------------------------------------------------------------------
    def records(self) -> Iterator[Record]:
        """Every intact record, in order. A torn tail ends them; damaged records with intact
        ones after them are skipped and listed in :attr:`damage` (``core.journal_scan``)."""
        self._good_end = 0
        self.damage, self.foreign, self.cut = [], [], None
        if not self.journal_path.exists():
            return
        try:
            handle = open(self.journal_path, "rb", opener=no_links)
        except OSError as exc:
            raise WorkspaceError(f"the journal cannot be read ({os_reason(exc)})",
                                 path=self.named(self.journal_path)) from None
        try:
            size = regular_size(handle)
        except (OSError, ValueError) as exc:   # a pipe waited for ever, /dev/zero was read whole
            handle.close()
            raise WorkspaceError(f"the journal cannot be read ({os_reason(exc)})",
                                 path=self.named(self.journal_path)) from None
        cut: list[Cut] = [Cut(0)] if size == 0 else []
        with handle:   # record by record: a journal of gigabytes is not read whole
            for record, end in scan(handle, size, MAGICS, self._decode_at, _DECODE_ERRORS,
                                    self.damage, cut):
                if record.foreign:
                    self.foreign.append(record)
                    continue
                self._good_end = end
                yield record
        self.cut = cut[0] if cut else None

    @property
    def _unkeyed(self) -> bool:
        """Records and base of this generation may name no image (workspace version 1)."""
        return self._unkeyed_generation == self.generation

    def _decode_at(self, magic: bytes, payload: bytes, offset: int) -> Record:
        return decode(magic, payload, offset, self.folder, self.key, self._unkeyed, self.shape)

    @property
    def lost_records(self) -> int:
        """Records the last :meth:`records` could not give: damaged ones and another image's."""
        return sum(d.records for d in self.damage) + len(self.foreign)

    def keep_damaged(self) -> Optional[Path]:
        """Copy the journal (and the base and blobs it builds on) into a new ``damaged-*`` folder
        of the workspace, before a restore compacts it or an append cuts it short; ``None`` when
        :meth:`records` met no damage. The copy is the user's to inspect; nothing reads it."""
        if not (self.damage or self.foreign) or not self.journal_path.exists():
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target, n = self.folder / f"damaged-{stamp}", 1
        while target.exists():
            n += 1
            target = self.folder / f"damaged-{stamp}-{n}"
        target.mkdir(mode=0o700)
        sources = [self.journal_path, self.base_path,
                   *(path for path in self.folder.iterdir() if _BLOB.match(path.name))]
        for source in sources:
            if source.exists():
                shutil.copyfile(source, target / source.name, follow_symlinks=False)
                os.chmod(target / source.name, 0o600)
        fsync_dir(target)
        return target

    def drop_cut(self) -> None:
        """Cut off the torn record :meth:`records` found at the end (the user was told it was
        lost), so that the next opening does not tell it again; an empty journal file goes."""
        if self.cut is None or self._handle is not None or not self.journal_path.exists():
            return
        self._own()
        if self.cut.offset == 0:
            self.journal_path.unlink()
            fsync_dir(self.folder)
        else:
            with open(self.journal_path, "r+b", opener=no_links) as handle:
                handle.truncate(self.cut.offset)
                os.fsync(handle.fileno())
        self.cut = None

    def read_step(self, offset: int) -> Step:
        """The step stored at ``offset`` (to undo or redo it during replay)."""
        with open(self.journal_path, "rb") as handle:
            handle.seek(offset)
            magic, length, _crc = _HEAD.unpack(handle.read(_HEAD.size))
            return self._decode_at(magic, handle.read(length), offset).step

    def load_base(self) -> Optional[tuple[np.ndarray, list]]:
        """The label array and segment list of the last compaction, if there was one."""
        from .labels import SegmentTable

        if self.generation == 0 or not self.base_path.exists():
            return None
        try:
            shape, dtype = npy_shape(self.base_path, "labels")
            if self.shape is not None and shape != self.shape or dtype.kind != "u":
                raise ValueError(f"it holds a label map of {shape} {dtype}, not one of this image")
            with np.load(self.base_path, allow_pickle=False) as data:
                key = str(data["image_key"]) if "image_key" in data.files else None
                if key != self.key and not (key is None and self._unkeyed):
                    raise WorkspaceError("the label map stored at the last save belongs to another "
                                         "image (a copied file)", path=self.named(self.base_path))
                labels, segments = data["labels"], parse_json(str(data["segments"]))
            SegmentTable.from_list(segments)
        except _BASE_ERRORS as exc:
            raise WorkspaceError("the label map stored at the last save cannot be read "
                                 f"({os_reason(exc)})",
                                 path=self.named(self.base_path)) from None
        return labels, segments

    def has_content(self) -> bool:
        """True when reopening would restore something (edits or a compacted base) or tell of
        damage (a journal whose only record lost its voxel file opened as one never edited)."""
        if self.generation > 0:
            return True
        return any(True for _ in self.records()) or bool(self.damage or self.foreign)

    # -- writing ------------------------------------------------------------------------------
    def _open_append(self):
        if self._handle is None:
            # Drop a torn tail left by a crash before appending after it; a journal with damage
            # in it is copied aside first (a restore compacts it, so this is for other callers).
            self.record_count = sum(1 for _ in self.records())
            self.keep_damaged()
            if self._meta_version < VERSION:   # its records will name the image from now on
                self._write_meta()
                self._meta_version = VERSION
            end = getattr(self, "_good_end", 0)
            self.size = end
            mode = "r+b" if self.journal_path.exists() else "wb"
            self._handle = open(self.journal_path, mode, opener=private_opener)
            self._handle.truncate(end)
            self._handle.seek(end)
            self.cut = None
            if self._syncer is None:
                self._syncer = Syncer()
            # a file created: its folder is fsync'ed by the syncer's thread, not this one
            self._syncer.follow(self._handle.fileno(), self.folder if mode == "wb" else None)
        return self._handle

    def _append(self, data: bytes) -> None:
        """Write and flush ``data`` here (from now on a kill cannot lose it); its fsync runs in the
        :class:`~neuroview.core.journal_sync.Syncer`'s thread. A failed earlier fsync is raised
        before anything is written."""
        self._own()
        with self.lock:
            handle = self._open_append()
            self._syncer.raise_failed()
            handle.write(data)
            handle.flush()
            self._syncer.wrote()
            self.size += len(data)
            self.record_count += 1

    def append_step(self, step: Step, editing_seconds: Optional[float] = None,
                    blob: Optional[dict] = None) -> None:
        """``blob``: ``journal_records.write_blob``'s answer for this step's diff (its voxels are in
        that file; written inline when the file is gone, deleted by a compaction meanwhile)."""
        if blob is not None and not (self.folder / blob["blob"]).exists():
            blob = None
        self._append(encode("step", step, self.key, editing_seconds, blob=blob))

    def discard_blob(self, blob: Optional[dict]) -> None:
        """Delete a blob no record names (its step was made again on the GUI thread)."""
        if blob is not None and _BLOB.match(blob["blob"]):
            with contextlib.suppress(OSError):
                (self.folder / blob["blob"]).unlink()

    def append_undo(self, step: Step, editing_seconds: Optional[float] = None, full: bool = False) -> None:
        """Record that ``step`` was undone; ``full=True`` stores the step itself (it is not in
        this journal file, having been committed before the last compaction)."""
        self._append(encode("undo", step, self.key, editing_seconds, full))

    def append_redo(self, step: Step, editing_seconds: Optional[float] = None, full: bool = False) -> None:
        self._append(encode("redo", step, self.key, editing_seconds, full))

    def append_drop(self, editing_seconds: Optional[float] = None) -> None:
        """Record that the steps undone can no longer be redone (a ruler was drawn, say: one
        history of the user's changes forgets them, as a new step does)."""
        self._append(encode("drop", None, self.key, editing_seconds))

    def exceeds(self, max_bytes: Optional[int], max_records: Optional[int]) -> bool:
        """True when the journal file has grown past either bound (``None``: no bound)."""
        return ((max_bytes is not None and self.size > max_bytes)
                or (max_records is not None and self.record_count > max_records))

    def has_records(self) -> bool:
        """True when edits were journaled since the last compaction."""
        return self.journal_path.exists() and self.journal_path.stat().st_size > 0

    def note_saved(self) -> None:
        """A label map of this image was saved: :attr:`ever_saved` from now on."""
        with self.lock:
            if self.ever_saved is not True:
                before, self.ever_saved = self.ever_saved, True
                try:
                    self._write_meta()
                except BaseException:
                    self.ever_saved = before
                    raise

    def mark_base_saved(self) -> None:
        """The label map was saved and no edit was journaled since the base: the base is it."""
        with self.lock:
            if self.generation > 0 and not self.base_saved and not self.has_records():
                self.base_saved = True
                try:
                    self._write_meta()
                except BaseException:
                    self.base_saved = False
                    raise

    def write_segments(self, segments: list) -> None:
        self._own()
        with self.lock:
            write_text_atomic(self.segments_path, json.dumps(segments, indent=1))
