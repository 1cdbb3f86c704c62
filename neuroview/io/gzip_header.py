"""A gzip member's header, its file name and comment fields bounded before Python's gzip reads it.

Python's ``gzip`` (which nibabel reads ``.nii.gz`` and ``.mgz`` through) reads the NUL-ended file
name and comment fields one byte at a time, and again at each open and rewind: a header holding an
8 MB name took 9.4 s of processor time to convert (36 s at load 9), 0.1 s for the same file
without it; ISA-L's reader refused a name of over 512 kB with ``OverflowError``. A file name in a
gzip header is a few dozen bytes (a path is at most 4 kB).
"""

from __future__ import annotations

import os

from ..core.errors import CorruptFileError

FIELD_LIMIT = 64 << 10
"""The longest file name or comment field a gzip header may hold here."""
FEXTRA, FNAME, FCOMMENT = 4, 8, 16


def check_gzip_header(path: str | os.PathLike) -> None:
    """Raise :class:`CorruptFileError` when the gzip header at the start of ``path`` holds a file
    name or comment with no end within :data:`FIELD_LIMIT` bytes. A file that is no gzip, or ends
    inside its header, is left to the readers' own lines."""
    with open(path, "rb") as handle:
        head = handle.read(10)
        if len(head) < 10 or head[:2] != b"\x1f\x8b":
            return
        flags = head[3]
        if flags & FEXTRA:
            size = handle.read(2)
            handle.seek(int.from_bytes(size, "little"), os.SEEK_CUR)
        for flag, words in ((FNAME, "file name"), (FCOMMENT, "comment")):
            if not flags & flag:
                continue
            field = handle.read(FIELD_LIMIT + 1)
            end = field.find(b"\x00")
            if end < 0 and len(field) > FIELD_LIMIT:
                raise CorruptFileError(
                    f"its gzip header's {words} field runs past {FIELD_LIMIT >> 10} kB (a file "
                    "name is at most 4 kB): damaged, or not written by an imaging program",
                    path=path)
            if end < 0:
                return
            handle.seek(end + 1 - len(field), os.SEEK_CUR)
