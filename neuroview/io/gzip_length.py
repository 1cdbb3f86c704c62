"""How many bytes a gzip file holds, told from its members' trailers instead of by inflating it.

``neuroview info`` checks that a ``.nii.gz`` or ``.mgz`` is not cut short without reading its
voxels. Each gzip member ends with the length it inflates to (mod 2^32):

- one member (what nibabel, FreeSurfer and most tools write): the file's last four bytes say it;
- several members (``cat a.gz b.gz``, bgzip, a "bomb" of many small members inflating to GBs):
  each member start (``1f 8b 08``, checked by inflating a few hundred bytes from it) follows the
  previous member's trailer, and only the *last* member is inflated (into nothing, 1 MiB at a
  time) to see that the file ends where a member ends. Inflating every member took 11-22 s for a
  4 MB file declaring 4 GB.
"""

from __future__ import annotations

import os
import zlib

from ..core.errors import CorruptFileError
from ..core.memory import format_byte_pair, format_bytes

MAGIC = b"\x1f\x8b\x08"
"""A gzip member starts with these three bytes (ID1, ID2, deflate)."""
PROBE = 512
"""Compressed bytes inflated from a candidate member start to tell it from compressed data that
happens to hold the magic bytes."""
CHUNK = 1 << 20
TRAILING_SLACK = 64 << 10
"""Bytes a whole file may hold after its voxels (an MGH footer: scan parameters and tags)."""
LAST_MEMBER_BUDGET = 256 << 20
"""Inflate at most this much of the last member: a member bigger than this with trailers that do
not add up is refused rather than inflated to its end."""


def check_gzip_length(path, expected: int, offset: int = 0) -> None:
    """Raise :class:`CorruptFileError` naming ``path`` when its gzip members hold less than the
    ``expected`` bytes (header and voxels) or do not end with a whole member; return when they
    hold them (bytes after them, up to :data:`TRAILING_SLACK` from the trailer alone, allowed).
    Whole members that end before the header's ``offset`` of the voxels: the header puts them
    past the end (it was "file is truncated")."""
    with open(path, "rb") as file:
        file.seek(-4, os.SEEK_END)
        trailer = int.from_bytes(file.read(4), "little")
        if (trailer - expected) % 2**32 < TRAILING_SLACK:
            return
        boundaries = member_boundaries(file)
    before = sum(size for _, size in boundaries)
    last = boundaries[-1][0] if boundaries else 0
    held, complete = _inflate_tail(path, last, enough=expected - before)
    held += before
    if complete and held >= expected:
        return
    if complete and 0 < held <= offset:
        raise CorruptFileError(f"header puts the voxels at byte {offset}, past the end of the "
                               f"file's data ({held} bytes inflated)", path=path)
    if not complete and held < expected and held - before >= LAST_MEMBER_BUDGET:
        raise CorruptFileError(
            f"the header declares {format_bytes(expected)} (header and voxels), the gzip "
            f"trailers say {format_bytes(before + trailer)}, and the last member does not end "
            f"within {format_bytes(LAST_MEMBER_BUDGET)}: truncated, or not one image",
            path=path)
    raise _truncated(path, expected, held)


def _truncated(path, expected: int, held: int) -> CorruptFileError:
    # a few bytes short: "640.3 kB ... inflates to 640.3 kB" said nothing
    declared, inflated = format_byte_pair(expected, held)
    return CorruptFileError(f"file is truncated: the header declares {declared} (header and "
                            f"voxels), the compressed data inflates to {inflated}", path=path)


CUT_PROBE_BUDGET = 64 << 20
"""Inflate at most this much to tell a gzip stream cut short from a whole one."""


def cut_stream_error(path, expected: int) -> CorruptFileError | None:
    """For a file whose header declares more (``expected`` bytes, header and voxels) than its
    compressed size can hold: :func:`check_gzip_length`'s "file is truncated" line when its gzip
    stream ends inside a member (cut short), None when the members end whole (the header lies),
    the data is broken, or it inflates past :data:`CUT_PROBE_BUDGET` without ending."""
    inflater, held = zlib.decompressobj(31), 0
    try:
        with open(path, "rb") as file:
            while data := file.read(CHUNK):
                while data:
                    held += len(inflater.decompress(data, CHUNK))
                    if held > CUT_PROBE_BUDGET:
                        return None
                    if inflater.eof:  # a member ends: the rest (if any) starts the next one
                        data = inflater.unused_data
                        if not data.strip(b"\0"):
                            return None   # whole members: the header lies
                        inflater = zlib.decompressobj(31)
                        continue
                    data = inflater.unconsumed_tail
    except (OSError, zlib.error):
        return None
    return _truncated(path, expected, held) if held < expected else None


HEADER_PROBE = 1 << 16
"""Compressed bytes read to tell a gzip stream cut within its image header (NIfTI-2's, the
largest, is 540 bytes) from one that is not gzip at all, or is whole."""
LARGEST_HEADER = 540


def truncation_error(path, expected: int | None = None, offset: int = 0) -> CorruptFileError | None:
    """The one line every reader gives for a gzip-compressed image cut short (``neuroview info``,
    the window, ``segment``, ``convert``): :func:`check_gzip_length`'s, given the ``expected``
    bytes (header and voxels); with ``expected`` None (nibabel could not read the header), the
    stream ending within its first bytes, before the voxels. None when it is not cut short (or
    cannot be read: the caller's own error stands)."""
    if expected is not None:
        try:
            check_gzip_length(path, expected, offset)
        except CorruptFileError as exc:
            return exc
        except OSError:
            pass
        return None
    try:
        with open(path, "rb") as file:
            raw = file.read(HEADER_PROBE)
        inflater = zlib.decompressobj(31)
        held = len(inflater.decompress(raw, HEADER_PROBE))
    except (OSError, zlib.error):  # not gzip, or broken rather than cut short
        return None
    if inflater.eof or len(raw) == HEADER_PROBE or held >= LARGEST_HEADER or cut_in_trailer(raw):
        return None
    return CorruptFileError(f"file is truncated: it ends before the voxels (the compressed data "
                            f"inflates to {held} bytes)", path=path)


def cut_in_trailer(raw: bytes) -> bool:
    """Whether the gzip file whose whole bytes are ``raw`` holds one whole deflate stream cut
    only in its 8-byte trailer (checksum and length): every byte it holds inflates, and it reads
    as a bigger file cut there reads (nibabel never reaches the trailer). Parses the gzip header
    (RFC 1952: FEXTRA, FNAME, FCOMMENT, FHCRC) to inflate the raw deflate data after it."""
    if len(raw) < 10 or raw[:3] != MAGIC:
        return False
    flags, at = raw[3], 10
    if flags & 4:   # FEXTRA: its length, then that many bytes
        at += 2 + int.from_bytes(raw[at:at + 2], "little")
    for flag in (8, 16):   # FNAME, FCOMMENT: zero-terminated
        if flags & flag:
            end = raw.find(b"\0", at)
            if end == -1:
                return False
            at = end + 1
    at += 2 if flags & 2 else 0   # FHCRC
    inflater = zlib.decompressobj(-15)
    try:
        inflater.decompress(raw[at:], HEADER_PROBE)
    except zlib.error:
        return False
    return inflater.eof and len(inflater.unused_data) < 8


def raise_if_cut_short(path: str, expected: int | None = None, offset: int = 0) -> None:
    """For a reader that failed on a ``.nii.gz``/``.mgz``: raise :func:`truncation_error`'s line,
    so every route names a file cut short alike; return when it is not cut short."""
    if path.lower().endswith((".gz", ".mgz")):
        error = truncation_error(path, expected, offset)
        if error is not None:
            raise error


def member_boundaries(file) -> list[tuple[int, int]]:
    """``(offset, inflated size of the member ending there)`` for each gzip member after the
    first in the open binary ``file``, read 1 MiB at a time."""
    fd, found, position, carry = file.fileno(), [], 0, b""
    file.seek(0)
    while chunk := file.read(CHUNK):
        data, base = carry + chunk, position - len(carry)
        index = data.find(MAGIC, 1 if base == 0 else 0)
        while index != -1:
            offset = base + index
            if offset >= 18 and _member_starts(fd, offset):  # 18: the smallest gzip member
                found.append((offset, int.from_bytes(os.pread(fd, 4, offset - 4), "little")))
            index = data.find(MAGIC, index + 1)
        position += len(chunk)
        carry = data[-(len(MAGIC) - 1):]
    return found


def _member_starts(fd: int, offset: int) -> bool:
    try:
        zlib.decompressobj(31).decompress(os.pread(fd, PROBE, offset), 1 << 16)
    except zlib.error:
        return False
    return True


def _inflate_tail(path, start: int, enough: int) -> tuple[int, bool]:
    """(bytes the gzip members from ``start`` inflate to, whether the last one ends the file),
    with at most ``CHUNK`` bytes of output at a time; stops (complete) once ``enough`` are seen,
    and (incomplete) past :data:`LAST_MEMBER_BUDGET`."""
    total, inflater, fed = 0, zlib.decompressobj(31), False
    try:
        with open(path, "rb") as file:
            file.seek(start)
            while data := file.read(CHUNK):
                while True:
                    out = inflater.decompress(data, CHUNK)
                    total += len(out)
                    fed = True
                    if total >= enough:
                        return total, True
                    if total >= LAST_MEMBER_BUDGET:
                        return total, False
                    if inflater.eof:  # end of a member: the rest starts the next one
                        data, inflater, fed = inflater.unused_data, zlib.decompressobj(31), False
                        if not data.strip(b"\0"):  # gzip readers skip zero padding
                            break
                        continue
                    data = inflater.unconsumed_tail
                    if not out and not data:
                        break
    except zlib.error:
        return total, False
    return total, not fed
