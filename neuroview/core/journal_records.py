"""The records of a workspace journal (``core.journal``): encoding a step, decoding it back.

A record is::

    magic | payload length (uint32 LE) | CRC-32 of payload (uint32 LE) | payload
    payload = header length (uint32 LE) | header JSON | packed mask | old values | new values

Magic ``NVJ2`` (workspace version 2): the header carries the image key, so a record copied from
another image's journal is known as such (:attr:`Record.foreign`) and never replayed. ``NVJ1``
records (version 1, no key) are read only in the generation of a workspace written by a
neuroview before the key (``Journal``'s ``unkeyed_generation``).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from .atomic import atomic_path
from .journal_checks import check_header, check_mask, regular_size
from .journal_scan import HEAD
from .jsonfile import parse_json
from .undo import Step, VoxelDiff

MAGIC = b"NVJ2"
UNKEYED_MAGIC = b"NVJ1"
"""The records of workspace version 1, which name no image."""
MAGICS = (MAGIC, UNKEYED_MAGIC)
_U32 = struct.Struct("<I")
BLOB = re.compile(r"^blob-[0-9a-f]{32}\.bin$")
DECODE_ERRORS = (ValueError, KeyError, TypeError, IndexError, OverflowError, struct.error)
"""How a record that passed its CRC can still be wrong (a hostile one, sealed again)."""


@dataclass
class Record:
    """One journal entry as read back: ``kind`` is ``step``, ``undo``, ``redo`` or ``drop`` (the
    steps undone were forgotten: a change outside the label history, a ruler say; step id 0)."""

    kind: str
    step_id: int
    offset: int
    step: Optional[Step] = None
    """The step (always for ``step``; for ``undo``/``redo`` only when written in full)."""
    editing_seconds: Optional[float] = None
    """The case's editing time when the record was written (``None``: not recorded)."""
    foreign: bool = False
    """An intact record of another image (or one naming none where a key is required): never
    replayed; ``kind`` and ``step_id`` are as it says, ``step`` is None."""


def write_blob(folder: str | os.PathLike, diff: VoxelDiff) -> dict:
    """Write the voxels of ``diff`` (packed mask, old and new values) to a new blob file in the
    workspace ``folder``, fsync'ed (file and folder): for a worker thread, before the step is
    appended with ``blob=`` the dict returned (the file's name, size and CRC-32)."""
    name = f"blob-{secrets.token_hex(16)}.bin"
    parts = (diff.packed_mask, diff.old, diff.new)
    crc = 0
    with atomic_path(Path(folder) / name) as tmp:
        with open(tmp, "wb") as handle:
            for part in parts:
                view = memoryview(np.ascontiguousarray(part)).cast("B")
                crc = zlib.crc32(view, crc)
                handle.write(view)
    return {"blob": name, "blob_size": int(sum(p.nbytes for p in parts)), "blob_crc": crc}


def encode(kind: str, step: Optional[Step], key: str, editing_seconds: Optional[float] = None,
           full: bool = False, blob: Optional[dict] = None) -> bytes:
    """The record of ``step`` (``kind``: step, undo, redo; drop has no step) for the image of
    ``key``."""
    header = {"kind": kind, "id": 0 if step is None else step.step_id, "key": key}
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
            if blob is not None:
                header.update(blob)
            else:
                blobs = [diff.packed_mask.tobytes(), diff.old.tobytes(), diff.new.tobytes()]
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    payload = b"".join([_U32.pack(len(head)), head, *blobs])
    return HEAD.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload


def blob_bytes(folder: Path, header: dict) -> bytes:
    """The voxels of a record kept in a blob file; ValueError when it is missing or damaged."""
    name = str(header["blob"])
    if not BLOB.match(name):
        raise ValueError(f"not a blob name: {name!r}")
    try:
        with open(folder / name, "rb", opener=no_links) as handle:
            size = regular_size(handle)
            if size != header["blob_size"]:
                raise ValueError(f"its voxel file {name} holds {size} bytes, not the "
                                 f"{header['blob_size']} it recorded")
            data = handle.read()
    except FileNotFoundError:
        raise ValueError(f"its voxel file {name} is missing") from None
    except OSError as exc:
        raise ValueError(f"its voxel file {name} cannot be read "
                         f"({exc.strerror or type(exc).__name__})") from None
    if len(data) != int(header["blob_size"]) or zlib.crc32(data) != int(header["blob_crc"]):
        raise ValueError(f"its voxel file {name} does not match the checksum it recorded")
    return data


def decode(magic: bytes, payload: bytes, offset: int, folder: Path, key: str, unkeyed: bool,
           shape: Optional[tuple] = None) -> Record:
    """One record; a ``ValueError`` (or another of ``DECODE_ERRORS``) when it is damaged or
    does not fit an image of ``shape``. ``unkeyed``: ``NVJ1`` records are this image's."""
    (head_len,) = _U32.unpack_from(payload, 0)
    header = parse_json(payload[4:4 + head_len].decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("a record header is not a JSON object")
    if (header.get("key") != key) if magic == MAGIC else not unkeyed:
        return Record(str(header.get("kind")), -1, offset, foreign=True)
    check_header(header, shape, len(payload) - 4 - head_len)
    kind, step_id = header["kind"], int(header["id"])
    edit_s = header.get("edit_s")
    edit_s = None if edit_s is None else float(edit_s)
    if "name" not in header:  # a short undo/redo record
        return Record(kind, step_id, offset, None, edit_s)
    diff = None
    if "lo" in header:
        pos = 4 + head_len
        if "blob" in header:
            payload, pos = blob_bytes(folder, header), 0
        dtype = np.dtype(header["dtype"])
        n, mask_bytes = int(header["n"]), int(header["mask_bytes"])
        packed = np.frombuffer(payload, np.uint8, mask_bytes, pos).copy()
        pos += mask_bytes
        old = np.frombuffer(payload, dtype, n, pos).copy()
        pos += n * dtype.itemsize
        new = np.frombuffer(payload, dtype, n, pos).copy()
        check_mask(packed, int(np.prod(header["shape"])), n)
        diff = VoxelDiff(tuple(header["lo"]), tuple(header["shape"]), packed, old, new)
    step = Step(header["name"], diff, header.get("segments_before"), header.get("segments_after"),
                step_id, header.get("meta") or {})
    return Record(kind, step_id, offset, step, edit_s)



def no_links(path, flags):
    """``open``'s opener: not through a symbolic link, and without waiting on a named pipe."""
    return os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK)

