"""A gzip member's trailer (CRC-32 and length of what it holds), checked once the voxels are read.

The voxels of a ``.nii.gz`` or ``.mgz`` are inflated to exactly what the header declares
(:mod:`.nifti_voxels`), which stopped before the trailer: a file whose checksum or length did not
match what it held (bits flipped in a stored block, a trailer written over) was read without a
word, where ``gzip -t`` refuses it and NRRD's reader (:func:`.compressed.inflate_exactly`) did. The
bytes after the voxels (a ``.mgz``'s footer, at most :data:`TAIL`) are read on to the member's end,
where Python's gzip compares both.
"""

from __future__ import annotations

import gzip
import zlib
from typing import BinaryIO, Optional

from ..core.errors import CorruptFileError
from .compressed import stream_words

TAIL = 64 << 10
"""Bytes read past the voxels to reach the trailer; a file holding more after them is not checked
(nibabel reads such files, and does not look there either)."""


def mismatch(exc: BaseException) -> bool:
    """Python's gzip refusing a trailer: ``CRC check failed 0x0 != 0xb8e1a3cc`` or ``Incorrect
    length of data produced``."""
    text = str(exc).lower()
    return isinstance(exc, gzip.BadGzipFile) and ("crc check" in text or "incorrect length" in text)


def broken(exc: BaseException) -> bool:
    """A stream cut short or not matching its trailer; bytes after a whole member that are no
    gzip member (``Not a gzipped file``), which gunzip ignores with a warning and nibabel never
    reads, are not."""
    return mismatch(exc) or isinstance(exc, EOFError)


def trailer_error(exc: BaseException, path: str) -> CorruptFileError:
    return CorruptFileError(f"compressed data is broken or truncated ({stream_words(exc)})",
                            path=path)


def check_trailer(handle: BinaryIO, path: str) -> None:
    """Read on from ``handle`` (a ``gzip.GzipFile`` past the voxels) to its trailer and raise
    :class:`CorruptFileError` when the checksum or length there does not match. A stream cut
    after the voxels, in its trailer, reads: every voxel inflated, as in nibabel and ITK
    (``tests/cli/test_nifti_cut_short.py``)."""
    try:
        handle.read(TAIL)
    except (OSError, EOFError, zlib.error) as exc:
        if mismatch(exc):
            raise trailer_error(exc, path) from None


def start_problem(path: str) -> Optional[CorruptFileError]:
    """For a small ``.gz`` nibabel could not sniff (it reads its first bytes through gzip, which
    checks the trailer of a member ending there, and says ``Cannot work out file type``): the
    trailer's mismatch or a stream ending before it; None when the first :data:`TAIL` bytes
    read, or the file is no gzip (nibabel's own line says so)."""
    try:
        with gzip.open(path, "rb") as stream:
            stream.read(TAIL)
    except (OSError, EOFError) as exc:
        return trailer_error(exc, path) if broken(exc) else None
    return None
