"""Checks of a workspace's files before the journal trusts them (``core.journal``).

A workspace lives in the user's folder, but what is there may have been cut short by a full disk,
flipped by a bad sector, copied from another machine or another image, written by a newer
neuroview, or replaced by a link. Each check raises ``ValueError`` with one line saying what is
wrong; the journal turns it into the end of the journal (a record) or a ``WorkspaceError`` naming
the file (the folder, ``workspace.json``, a base).
"""

from __future__ import annotations

import math
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import Optional

import numpy as np

from .jsonfile import said_json

VERSION = 2
"""The workspace format's version. 2: records and bases carry the image key (version 1 is read,
and upgraded on appending)."""
LABEL_DTYPES = ("uint8", "uint16")
KINDS = ("step", "undo", "redo", "drop")


def check_regular(folder: Path, names) -> None:
    """Every entry of ``folder`` named in ``names`` (a predicate) is a regular file, not a link
    (the journal appended to the file a link named: another user's, ``/dev/zero``), a named pipe
    (reading it waited for ever) or a device."""
    for path in folder.iterdir():
        if names(path.name):
            mode = path.lstat().st_mode
            if not stat.S_ISREG(mode):
                what = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
                raise ValueError(f"{path.name} is {what}")


def _whole(value, name: str, low: int = 0, high: Optional[int] = None) -> int:
    if type(value) is not int or value < low or (high is not None and value > high):
        shown = said_json(value) if value is None or isinstance(value, (str, bool, list, dict)) \
            else repr(value)[:40]   # "1" (text) said "1", not '1' (as the number 1 was)
        raise ValueError(f"{name} is {shown}, not a whole number"
                         + (f" from {low}" if high is None else f" from {low} to {high}"))
    return value


def check_meta(meta, version: int) -> dict:
    """``workspace.json``'s fields: an object, a version this neuroview reads, a generation, a
    finite editing time."""
    if not isinstance(meta, dict):
        raise ValueError("it is not a JSON object")
    found = meta.get("version", 1)
    if type(found) is int and found > version:
        raise ValueError(f"it was written by a newer neuroview (workspace version {found}; this "
                         f"one reads version {version}): open the image there")
    _whole(found, "version", 1)
    _whole(meta.get("generation", 0), "its generation")
    if "unkeyed_generation" in meta:
        _whole(meta["unkeyed_generation"], "unkeyed_generation")
    seconds = meta.get("editing_seconds", 0.0)
    if type(seconds) not in (int, float) or not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"editing_seconds is {str(seconds)[:40]!r}, not a time in seconds")
    return meta


def check_generation(folder: Path, generation: int) -> None:
    """``workspace.json``'s generation names files that are there: from generation 1 on, a
    compaction writes ``base-G.npz`` before it switches to G, so a G without its base was changed
    by hand or by another program (opened as it was, the workspace showed none of its edits)."""
    if generation == 0 or (folder / f"base-{generation}.npz").exists():
        return
    held = sorted({int(n) for p in folder.iterdir()
                   for n in re.findall(r"^(?:journal|base)-(\d{1,18})\.(?:bin|npz)$", p.name)})
    there = (f"; the folder holds generation {', '.join(map(str, held[:4]))}'s files" if held
             else "")
    raise ValueError(f"its generation is {generation}, but base-{generation}.npz, the label map "
                     f"that generation starts from, is not there{there}: changed by hand or by "
                     "another program?")


def check_header(header, shape: Optional[tuple], payload_left: int) -> None:
    """A journal record's header: its kind and step id, and a diff that lies inside an image of
    ``shape`` whose voxels fill the record (``payload_left`` bytes after the header) or its blob."""
    if not isinstance(header, dict):
        raise ValueError("a record header is not a JSON object")
    if header.get("kind") not in KINDS:
        raise ValueError(f"a record of unknown kind {str(header.get('kind'))[:20]!r}")
    _whole(header.get("id"), "a step id")
    seconds = header.get("edit_s")
    if seconds is not None and (type(seconds) not in (int, float) or not math.isfinite(seconds)):
        raise ValueError("a record's editing time is not a number")
    if "name" not in header:
        return
    if not isinstance(header["name"], str) or not isinstance(header.get("meta") or {}, dict):
        raise ValueError("a record's step name or meta is of the wrong type")
    for key in ("segments_before", "segments_after"):
        _check_table(header.get(key))
    if "lo" not in header:
        return
    lo, box = header["lo"], header["shape"]
    if not (isinstance(lo, list) and isinstance(box, list) and len(lo) == len(box) == 3):
        raise ValueError("a record's box is not three numbers")
    for axis in range(3):
        top = shape[axis] if shape is not None else None
        _whole(lo[axis], "a box corner", 0, top)
        _whole(box[axis], "a box size", 0, None if top is None else top - lo[axis])
    if header.get("dtype") not in LABEL_DTYPES:
        raise ValueError(f"a record's voxels are of type {str(header.get('dtype'))[:20]!r}")
    voxels = box[0] * box[1] * box[2]
    n = _whole(header.get("n"), "a count of voxels", 0, voxels)
    if _whole(header.get("mask_bytes"), "a mask size") != (voxels + 7) // 8:
        raise ValueError("a record's mask does not fit its box")
    size = header["mask_bytes"] + 2 * n * np.dtype(header["dtype"]).itemsize
    if "blob" in header:
        if _whole(header.get("blob_size"), "a blob size") != size:
            raise ValueError("a record's blob does not fit its box")
        _whole(header.get("blob_crc"), "a blob checksum", 0, 2 ** 32 - 1)
    elif payload_left != size:
        raise ValueError("a record's voxels do not fill it")


def check_mask(packed: np.ndarray, count: int, n: int) -> None:
    """The packed mask of a box of ``count`` voxels marks ``n`` of them (the values it holds)."""
    if int(np.unpackbits(packed, count=count).sum()) != n:
        raise ValueError("a record's mask and values disagree")


def _check_table(table) -> None:
    """A segment table in a record: none, a whole list, or ``{"delta": {value: segment|None}}``."""
    from .labels import Segment, SegmentTable

    if table is None:
        return
    if isinstance(table, list):
        SegmentTable.from_list(table)
    elif isinstance(table, dict) and isinstance(table.get("delta"), dict):
        for key, item in table["delta"].items():
            if not key.isdigit() or (item is not None and Segment.from_dict(item).value != int(key)):
                raise ValueError("a record's segment change is of the wrong shape")
    else:
        raise ValueError("a record's segment table is of the wrong type")


def npy_shape(path: Path, name: str) -> tuple[tuple, np.dtype]:
    """Shape and type of array ``name`` in the ``.npz`` at ``path``, from its header alone (a
    base of another image or a zip of zeros declaring gigabytes is refused before it is read)."""
    with zipfile.ZipFile(path) as archive, archive.open(f"{name}.npy") as member:
        version = np.lib.format.read_magic(member)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
            np.lib.format.read_array_header_2_0
        shape, _fortran, dtype = read(member)
    return tuple(shape), np.dtype(dtype)


def regular_size(handle) -> int:
    """The size of an open file that must be a regular one."""
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("it is not a regular file")
    return info.st_size
