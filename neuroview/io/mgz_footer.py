"""``neuroview info``'s look at the bytes after a ``.mgz``'s voxels, inflating nothing where the
gzip trailer can tell.

A header whose dimensions are smaller than its data leaves voxels after the declared ones; the
loader finds that they are no MGH footer (:mod:`.mgh_footer`) once it has inflated the voxels,
but ``info`` reads the header alone. The gzip trailer's last four bytes give the inflated length
(mod 2^32, for a file of one member), so how many bytes follow the declared voxels is known
without inflating. One dimension lowered by one leaves at least a face of the image there (the
product of the other dimensions, in voxels): fewer bytes than the smallest face are a footer (TR,
flip angle, TE, TI, FoV, FreeSurfer's tags), not voxels, and nothing is inflated (a 256^3 image:
a face is 64 kB, a footer some hundred bytes). Otherwise (a footer of tags larger than a face of
a small image, voxels, several gzip members) the stream is inflated into nothing, through ISA-L,
and the bytes after the voxels are read as the loader reads them.
"""

from __future__ import annotations

import math
import os
import zlib

from ..core.errors import CorruptFileError
from .mgh_footer import FOOTER_LIMIT, footer_problem, footer_words

CHUNK = 1 << 20
INFLATE_BUDGET = 1 << 30
"""Images declaring more are not inflated by ``info`` (ISA-L: about 4 s under load); the loader
checks their footer as it reads the voxels."""


def footer_error(path: str, shape, itemsize: int, offset: int) -> CorruptFileError | None:
    """The loader's error for a ``.mgz`` (a whole gzip stream: ``check_gzip_length`` passed)
    whose bytes after the ``shape`` voxels of ``itemsize`` bytes from ``offset`` are no MGH
    footer; None where they can be one, or cannot be read here (the loader's errors stand)."""
    expected = offset + math.prod(shape) * itemsize
    try:
        with open(path, "rb") as file:
            file.seek(-4, os.SEEK_END)
            trailer = int.from_bytes(file.read(4), "little")
    except OSError:
        return None
    extra = (trailer - expected) % 2**32
    if extra == 0 or 16 <= extra < smallest_face(shape) * itemsize or expected > INFLATE_BUDGET:
        return None
    block = bytes_after(path, expected, FOOTER_LIMIT + 1)
    problem = footer_problem(block[:FOOTER_LIMIT], len(block) <= FOOTER_LIMIT) if block else ""
    if not problem:
        return None
    held = len(block) if len(block) <= FOOTER_LIMIT else f"over {FOOTER_LIMIT}"
    return CorruptFileError(footer_words(problem, held, shape), path=path)


def smallest_face(shape) -> int:
    """Voxels one dimension of ``shape`` lowered by one leaves out, at the least."""
    total = math.prod(shape)
    return min(total // n for n in shape) if total else 0


def bytes_after(path: str, start: int, count: int) -> bytes:
    """Up to ``count`` inflated bytes of the gzip file ``path`` from ``start`` on, its members
    inflated in turn, 1 MiB at a time (b"" where the stream cannot be inflated)."""
    try:
        from isal import isal_zlib as inflate_lib
    except ImportError:  # pragma: no cover - isal is a dependency
        inflate_lib = zlib
    inflater, seen, kept = inflate_lib.decompressobj(31), 0, bytearray()
    try:
        with open(path, "rb") as file:
            while (data := file.read(CHUNK)) and len(kept) < count:
                while data and len(kept) < count:
                    out = inflater.decompress(data, CHUNK)
                    if seen + len(out) > start:
                        kept += out[max(0, start - seen):]
                    seen += len(out)
                    if inflater.eof:   # a member ends: the rest (if any) starts the next one
                        data = inflater.unused_data.lstrip(b"\0")
                        inflater = inflate_lib.decompressobj(31)
                    else:
                        data = inflater.unconsumed_tail
    except (OSError, zlib.error, inflate_lib.error):
        return b""
    return bytes(kept[:count])
