"""Reading a journal file (``core.journal``) record by record, past a damaged record.

A torn record at the end (the process was killed mid-write) ends the journal, as expected, and
is reported (:class:`Cut`: where it starts, what kind of record its header says it was), so that
the user learns that the edit being written was not restored. A
damaged record with intact records after it (a flipped bit on disk, a copy gone wrong) is
skipped: the reader looks for the next record whose magic, length and CRC hold and goes on from
there, and notes what it skipped (:class:`Damage`), so that the user is told and the file is kept.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

HEAD = struct.Struct("<4sII")
"""magic, payload length, CRC-32 of the payload."""
MAGIC_PREFIX = b"NVJ"
_CHUNK = 1 << 20


@dataclass
class Damage:
    """Bytes of a journal between intact records that hold no intact record."""

    offset: int
    """Where the damaged bytes start."""
    end: int
    """Where the next intact record starts."""
    records: int
    """How many records the damaged bytes held, as far as their magics tell (at least one)."""
    reason: str = "a disk or copy fault"
    """What is wrong with the first of them, in words for the user."""


@dataclass
class Cut:
    """A record cut short at the end of a journal: a kill while it was being written."""

    offset: int
    """Where it starts (the intact records end there)."""
    kind: str = ""
    """``step``, ``undo``, ``redo`` or ``drop`` as far as its header was written ("" unknown)."""
    name: str = ""
    """A step's name (``paint``, ``model``, ``segments.add``...) when its header holds it."""


_KIND = re.compile(rb'"kind":"(step|undo|redo|drop)"')
_NAME = re.compile(rb'"name":("(?:[^"\\]|\\.){0,200}")')


def cut_at(handle, pos: int, size: int) -> Cut:
    """The torn record from ``pos`` to the end: what the part of its header written says (the
    header's JSON comes first in the payload, its ``kind`` first in that)."""
    handle.seek(pos + HEAD.size + 4)
    head = handle.read(min(max(size - pos - HEAD.size - 4, 0), 4096))
    kind, name = _KIND.search(head), _NAME.search(head)
    try:
        named = json.loads(name.group(1)) if name else ""
    except ValueError:   # a name cut inside an escape
        named = ""
    return Cut(pos, kind.group(1).decode() if kind else "", named if isinstance(named, str) else "")


def read_record(handle, pos: int, size: int, magics: tuple[bytes, ...],
                decode: Callable[[bytes, bytes, int], object], errors: tuple) -> Optional[tuple[object, int]]:
    """The record at ``pos`` decoded (``decode(magic, payload, pos)``) and where it ends; ``None``
    when no intact record starts there (``decode`` raising one of ``errors`` included)."""
    handle.seek(pos)
    head = handle.read(HEAD.size)
    if len(head) < HEAD.size:
        return None
    magic, length, crc = HEAD.unpack(head)
    end = pos + HEAD.size + length
    # Another magic is damage (one bit turns NVJ1 into NVJ3; the checksum covers the payload
    # only): a newer record format comes with a newer workspace.json version.
    if magic not in magics or end > size:
        return None
    payload = handle.read(length)
    if zlib.crc32(payload) != crc:
        return None
    try:
        return decode(magic, payload, pos), end
    except errors:
        return None


def scan(handle, size: int, magics: tuple[bytes, ...], decode, errors: tuple,
         damage: list[Damage], cut: Optional[list[Cut]] = None) -> Iterator[tuple[object, int]]:
    """Every intact record of the file ``handle`` (``size`` bytes) with its end, in order. A
    stretch of damage followed by an intact record is skipped and appended to ``damage``; damage
    with no intact record after it (a torn tail) ends the scan, unless it is a whole record
    sealed by its CRC that does not decode (its voxel file missing: no kill tears that), which is
    damage too. A torn tail is appended to ``cut`` (given)."""
    pos = 0
    while pos < size:
        if pos + HEAD.size > size:   # not even a whole record head
            if cut is not None:
                cut.append(Cut(pos))
            return
        found = read_record(handle, pos, size, magics, decode, errors)
        if found is None:
            why = _undecodable(handle, pos, size, magics, decode, errors)
            later = _next_intact(handle, pos, size, magics, decode, errors)
            if later is None:
                if why:
                    damage.append(Damage(pos, size, 1, why))
                elif cut is not None:
                    cut.append(cut_at(handle, pos, size))
                return
            start, found, lost = later
            damage.append(Damage(pos, start, lost, *([why] if why else [])))
        record, pos = found
        yield record, pos


def _undecodable(handle, pos: int, size: int, magics, decode, errors) -> str:
    """Why the whole record at ``pos``, its CRC intact, does not decode; '' when it is not one."""
    handle.seek(pos)
    head = handle.read(HEAD.size)
    if len(head) < HEAD.size:
        return ""
    magic, length, crc = HEAD.unpack(head)
    if magic not in magics or pos + HEAD.size + length > size:
        return ""
    payload = handle.read(length)
    if zlib.crc32(payload) != crc:
        return ""
    try:
        decode(magic, payload, pos)
    except errors as exc:
        return str(exc)[:200] or type(exc).__name__
    return ""


def _next_intact(handle, pos: int, size: int, magics, decode, errors):
    """The first intact record after the damaged one at ``pos``: ``(start, (record, end), the
    number of record magics seen from pos on, at least 1)``, or ``None``. Reads in chunks."""
    seen = 0
    chunk_start = pos
    while chunk_start < size:
        handle.seek(chunk_start)
        chunk = handle.read(_CHUNK + len(MAGIC_PREFIX))
        at = chunk.find(MAGIC_PREFIX)
        while 0 <= at < _CHUNK:
            start = chunk_start + at
            if start > pos:
                found = read_record(handle, start, size, magics, decode, errors)
                if found is not None:
                    return start, found, max(seen, 1)
            if chunk[at:at + 4] in magics:
                seen += 1
            at = chunk.find(MAGIC_PREFIX, at + 1)
        chunk_start += _CHUNK
    return None
