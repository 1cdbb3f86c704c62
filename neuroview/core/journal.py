"""Crash-safe journal of committed edits in a workspace folder.

Every committed step (a stroke, an applied tool, a model result, a segment edit, an undo, a redo)
is appended to ``journal-G.bin`` and fsync'ed before the call returns, so after a crash (even
SIGKILL or power loss) reopening the same image with the same workspace rebuilds exactly the
state after the last committed step. A record is::

    b"NVJ1" | payload length (uint32 LE) | CRC-32 of payload (uint32 LE) | payload
    payload = header length (uint32 LE) | header JSON | packed mask | old values | new values

A torn or corrupt record (the crash hit mid-write) ends the journal: it and anything after it are
ignored, and the file is truncated there before new records are appended. Each header may carry
``edit_s``, the case's editing time when the record was written, so a restore keeps the clock.
An undo or redo record is short (the id of a step earlier in the same journal) unless its step was
committed before the last compaction: then it carries the whole step, so it replays on the base.

Beside the journal, ``workspace.json`` (written atomically) names the image the workspace belongs
to (a key made from shape, affine, dtype and a sample of voxels, so a workspace is never applied
to another image) and the current generation ``G``; ``segments.json`` (atomic) mirrors the segment
table for other programs. :meth:`Journal.compact` writes the whole label map as ``base-G+1.npz``
(atomically), then switches ``workspace.json`` to generation ``G+1`` (one atomic rename: the
commit point), then deletes the old journal and base. A crash before the switch restores
generation ``G``, after it generation ``G+1``; both hold the same state, so the journal can be
compacted at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from .atomic import atomic_path, fsync_dir, write_text_atomic
from .errors import GeometryError, NeuroviewError
from .undo import Step, VoxelDiff

MAGIC = b"NVJ1"
_HEAD = struct.Struct("<4sII")
_U32 = struct.Struct("<I")
FORMAT = "neuroview-workspace"
VERSION = 1
_TEMPORARY = re.compile(r"^\.[\w.-]+\.[A-Za-z0-9_]{8}\.(npz|json|bin|tmp)$")  # atomic_path's names


class WorkspaceError(NeuroviewError):
    """A workspace folder is unreadable or belongs to another image."""


def image_key(array: np.ndarray, ijk_to_ras: np.ndarray, samples: int = 4096) -> str:
    """A fingerprint of an image: shape, dtype, affine and a strided sample of voxel values.

    Reads ``samples`` voxels by fancy indexing (no copy of a memory-mapped array).
    """
    digest = hashlib.sha256()
    digest.update(repr(tuple(array.shape)).encode())
    digest.update(str(array.dtype).encode())
    digest.update(np.round(np.asarray(ijk_to_ras, dtype=float), 4).tobytes())
    size = int(np.prod(array.shape))
    if size:
        flat = np.unique(np.linspace(0, size - 1, num=min(samples, size)).astype(np.int64))
        values = np.asarray(array[np.unravel_index(flat, array.shape)])
        digest.update(np.ascontiguousarray(values).tobytes())
    return digest.hexdigest()[:32]


@dataclass
class Record:
    """One journal entry as read back: ``kind`` is ``step``, ``undo`` or ``redo``."""

    kind: str
    step_id: int
    offset: int
    step: Optional[Step] = None
    """The step (always for ``step``; for ``undo``/``redo`` only when written in full)."""
    editing_seconds: Optional[float] = None
    """The case's editing time when the record was written (``None``: not recorded)."""


def _encode(kind: str, step: Step, editing_seconds: Optional[float] = None,
            full: bool = False) -> bytes:
    header = {"kind": kind, "id": step.step_id}
    if editing_seconds is not None:
        header["edit_s"] = round(float(editing_seconds), 3)
    blobs: list[bytes] = []
    if kind == "step" or full:
        header.update(name=step.name, meta=step.meta, segments_before=step.segments_before,
                      segments_after=step.segments_after)
        diff = step.diff
        if diff is not None:
            header.update(lo=list(diff.lo), shape=list(diff.shape), dtype=str(diff.old.dtype),
                          n=diff.n_changed, mask_bytes=int(diff.packed_mask.nbytes))
            blobs = [diff.packed_mask.tobytes(), diff.old.tobytes(), diff.new.tobytes()]
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    payload = b"".join([_U32.pack(len(head)), head, *blobs])
    return _HEAD.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload


def _decode(payload: bytes, offset: int) -> Record:
    (head_len,) = _U32.unpack_from(payload, 0)
    header = json.loads(payload[4:4 + head_len].decode("utf-8"))
    kind, step_id = header["kind"], int(header["id"])
    edit_s = header.get("edit_s")
    edit_s = None if edit_s is None else float(edit_s)
    if "name" not in header:  # a short undo/redo record
        return Record(kind, step_id, offset, None, edit_s)
    diff = None
    if "lo" in header:
        pos = 4 + head_len
        dtype = np.dtype(header["dtype"])
        n, mask_bytes = int(header["n"]), int(header["mask_bytes"])
        packed = np.frombuffer(payload, np.uint8, mask_bytes, pos).copy()
        pos += mask_bytes
        old = np.frombuffer(payload, dtype, n, pos).copy()
        pos += n * dtype.itemsize
        new = np.frombuffer(payload, dtype, n, pos).copy()
        diff = VoxelDiff(tuple(header["lo"]), tuple(header["shape"]), packed, old, new)
    step = Step(header["name"], diff, header.get("segments_before"), header.get("segments_after"),
                step_id, header.get("meta") or {})
    return Record(kind, step_id, offset, step, edit_s)


class Journal:
    """The workspace folder of one image: append committed steps, read them back after a crash."""

    def __init__(self, folder: str | os.PathLike, key: str, description: str = ""):
        self.folder = Path(folder)
        self.key = key
        self.description = description
        self._handle = None
        self.generation = 0
        self.base_editing_seconds = 0.0
        """Editing time stored with the base at the last compaction."""
        self.size = 0
        """Bytes of intact records in the current journal file (known once appending began)."""
        self.record_count = 0
        self._open_folder()

    # -- folder and files ---------------------------------------------------------------------
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
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"cannot create workspace folder ({exc.strerror})",
                                 path=self.folder) from None
        for path in self.folder.iterdir():  # temporaries of writes a kill interrupted
            if _TEMPORARY.match(path.name):
                with contextlib.suppress(OSError):
                    path.unlink()
        if self.meta_path.exists():
            try:
                meta = json.loads(self.meta_path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise WorkspaceError(f"workspace.json is unreadable ({exc})", path=self.meta_path) from None
            if meta.get("format") != FORMAT:
                raise WorkspaceError("not a neuroview workspace", path=self.folder)
            if meta.get("image_key") != self.key:
                raise GeometryError(
                    f"this workspace belongs to another image ({meta.get('image', 'unknown')})",
                    path=self.folder, hint="choose an empty folder or the image it was made for")
            self.generation = int(meta.get("generation", 0))
            self.base_editing_seconds = float(meta.get("editing_seconds", 0.0))
        else:
            self._write_meta()

    def _write_meta(self, generation: Optional[int] = None, editing_seconds: Optional[float] = None) -> None:
        meta = {"format": FORMAT, "version": VERSION, "image_key": self.key,
                "image": self.description,
                "generation": self.generation if generation is None else generation,
                "editing_seconds": round(self.base_editing_seconds if editing_seconds is None
                                         else float(editing_seconds), 3)}
        write_text_atomic(self.meta_path, json.dumps(meta, indent=1))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    # -- reading ------------------------------------------------------------------------------
    def records(self) -> Iterator[Record]:
        """Every intact record, in order; stops at the first torn or corrupt one."""
        self._good_end = 0
        if not self.journal_path.exists():
            return
        with open(self.journal_path, "rb") as handle:
            data = handle.read()
        pos = 0
        while pos + _HEAD.size <= len(data):
            magic, length, crc = _HEAD.unpack_from(data, pos)
            start = pos + _HEAD.size
            if magic != MAGIC or start + length > len(data):
                break
            payload = data[start:start + length]
            if zlib.crc32(payload) != crc:
                break
            try:
                record = _decode(payload, pos)
            except (ValueError, KeyError, struct.error):
                break
            pos = start + length
            self._good_end = pos
            yield record

    def read_step(self, offset: int) -> Step:
        """The step stored at ``offset`` (to undo or redo it during replay)."""
        with open(self.journal_path, "rb") as handle:
            handle.seek(offset)
            magic, length, _crc = _HEAD.unpack(handle.read(_HEAD.size))
            return _decode(handle.read(length), offset).step

    def load_base(self) -> Optional[tuple[np.ndarray, list]]:
        """The label array and segment list of the last compaction, if there was one."""
        if self.generation == 0 or not self.base_path.exists():
            return None
        with np.load(self.base_path, allow_pickle=False) as data:
            return data["labels"], json.loads(str(data["segments"]))

    def has_content(self) -> bool:
        """True when reopening would restore something (edits or a compacted base)."""
        if self.generation > 0:
            return True
        return any(True for _ in self.records())

    # -- writing ------------------------------------------------------------------------------
    def _open_append(self):
        if self._handle is None:
            # Drop a torn tail left by a crash before appending after it.
            self.record_count = sum(1 for _ in self.records())
            end = getattr(self, "_good_end", 0)
            self.size = end
            mode = "r+b" if self.journal_path.exists() else "wb"
            self._handle = open(self.journal_path, mode)
            self._handle.truncate(end)
            self._handle.seek(end)
            if mode == "wb":
                fsync_dir(self.folder)
        return self._handle

    def _append(self, data: bytes) -> None:
        handle = self._open_append()
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        self.size += len(data)
        self.record_count += 1

    def append_step(self, step: Step, editing_seconds: Optional[float] = None) -> None:
        self._append(_encode("step", step, editing_seconds))

    def append_undo(self, step: Step, editing_seconds: Optional[float] = None, full: bool = False) -> None:
        """Record that ``step`` was undone; ``full=True`` stores the step itself (it is not in
        this journal file, having been committed before the last compaction)."""
        self._append(_encode("undo", step, editing_seconds, full))

    def append_redo(self, step: Step, editing_seconds: Optional[float] = None, full: bool = False) -> None:
        self._append(_encode("redo", step, editing_seconds, full))

    def exceeds(self, max_bytes: Optional[int], max_records: Optional[int]) -> bool:
        """True when the journal file has grown past either bound (``None``: no bound)."""
        return ((max_bytes is not None and self.size > max_bytes)
                or (max_records is not None and self.record_count > max_records))

    def has_records(self) -> bool:
        """True when edits were journaled since the last compaction."""
        return self.journal_path.exists() and self.journal_path.stat().st_size > 0

    def write_segments(self, segments: list) -> None:
        write_text_atomic(self.segments_path, json.dumps(segments, indent=1))

    def compact(self, labels: np.ndarray, segments: list, editing_seconds: Optional[float] = None) -> None:
        """Store the current state as a base and start an empty journal (history is not kept).

        Crash-safe at every point: the new base is written beside the old generation, and only
        the atomic rewrite of ``workspace.json`` switches to it. If this raises (disk full, a kill
        simulated in a test), the old generation is still the current one and appending goes on.
        """
        old_journal, old_base = self.journal_path, self.base_path
        self.close()
        generation = self.generation + 1
        new_journal = self.folder / f"journal-{generation}.bin"
        if new_journal.exists():  # left by a compaction that crashed before its switch
            new_journal.unlink()
        with atomic_path(self.folder / f"base-{generation}.npz") as tmp:
            with open(tmp, "wb") as handle:
                np.savez_compressed(handle, labels=labels, segments=np.array(json.dumps(segments)))
        seconds = self.base_editing_seconds if editing_seconds is None else float(editing_seconds)
        self._write_meta(generation, seconds)  # the switch: this one atomic rename
        self.generation, self.base_editing_seconds = generation, seconds
        self.size = self.record_count = 0
        for path in (old_journal, old_base):
            if path.exists():
                path.unlink()
