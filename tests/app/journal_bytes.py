"""The crash journal's record layout as bytes on disk, for tests that damage or rewrite records:
each record is a header (magic, payload length, CRC-32 of the payload) and its payload."""

from __future__ import annotations

import struct

HEAD = struct.Struct("<4sII")


def record_spans(path) -> list[tuple[int, int]]:
    """(start, end) byte offsets of each record of the journal at ``path``."""
    data, found, pos = path.read_bytes(), [], 0
    while pos < len(data):
        _magic, length, _crc = HEAD.unpack_from(data, pos)
        found.append((pos, pos + HEAD.size + length))
        pos += HEAD.size + length
    return found
