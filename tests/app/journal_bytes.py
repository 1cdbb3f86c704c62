"""The crash journal's record layout as bytes on disk, for tests that damage or rewrite records:
each record is a header (magic, payload length, CRC-32 of the payload) and its payload."""

from __future__ import annotations

import struct
import zipfile

HEAD = struct.Struct("<4sII")


def record_spans(path) -> list[tuple[int, int]]:
    """(start, end) byte offsets of each record of the journal at ``path``."""
    data, found, pos = path.read_bytes(), [], 0
    while pos < len(data):
        _magic, length, _crc = HEAD.unpack_from(data, pos)
        found.append((pos, pos + HEAD.size + length))
        pos += HEAD.size + length
    return found


def without_stroke(states, k):
    """The label map after every stroke but stroke ``k`` (1-based; ``states[0]`` is before any),
    as a replay of the steps' diffs gives it: the voxels only stroke ``k`` changed keep the value
    they had before it."""
    expected = states[-1].copy()
    only_k = states[k] != states[k - 1]
    for j in range(k + 1, len(states)):
        only_k &= states[j] == states[j - 1]
    expected[only_k] = states[k - 1][only_k]
    return expected


def open_bracket(path, member: str) -> None:
    """``member``'s array header in the ``.npz`` at ``path`` given a bracket left open (its size
    kept): numpy's header reading raises tokenize's TokenError, not a ValueError."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    data = members[member]
    members[member] = data.replace(b"'shape': (", b"'shape': ((", 1).replace(b"), }", b"), ", 1)
    assert len(members[member]) == len(data) and members[member] != data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
