"""Whether the bytes after an MGH file's voxels can be its footer: TR, flip angle, TE, TI (and
FoV), big-endian float32 as nibabel's ``footer_dtype`` reads them, then FreeSurfer's tags (an
int32 tag, its length as int64, its bytes; tag 0 ends them). A header whose dimensions are
smaller than its data (2x10x6 declared over 12x10x6 voxels) leaves voxels there, which nibabel
took as the footer, and the image was read cut to the declared size with exit 0
(``bench/fuzz_readers.py``, session 39)."""

from __future__ import annotations

import math
import struct

FOOTER_LIMIT = 1 << 20
"""The footer bytes looked at (a colour table or a command line in tags: some kB)."""
SCAN_NAMES = ("TR", "flip angle", "TE", "TI", "FoV")
NO_LENGTH_TAGS = (1, 2, 20)
"""FreeSurfer's old colour table, old real-RAS flag and old surface geometry: no length, so the
tags after them cannot be walked."""
INT32_LENGTH_TAG = 30
"""The old MGH transform: its length is an int32."""
LAST_TAG = 100
"""FreeSurfer's tags are numbered 1 to 44 (``tags.h``); a larger one is not a tag."""
AFTER_END = 1024
"""Bytes allowed after a tag 0, which ends the tags (padding to a block); a header's dimensions
lowered over a background of zeros leave a face of zero voxels, read as TR, flip angle, TE, TI
and FoV of 0 and a tag 0 with the rest of the face after it."""
SCAN_RANGE = (1e-6, 1e6)
"""A scan parameter (ms, radians, mm) is 0 or inside this range."""


def footer_problem(block: bytes, whole: bool) -> str:
    """Why ``block`` (the bytes after the voxels; ``whole``: up to the end of the file) cannot be
    an MGH footer, or "" where it can."""
    if not block:
        return ""
    if len(block) < 16:
        return f"{len(block)} bytes, fewer than TR, flip angle, TE and TI take"
    values = struct.unpack_from(f">{min(5, len(block) // 4)}f", block)
    for name, value in zip(SCAN_NAMES, values):
        if value != 0 and not (math.isfinite(value) and SCAN_RANGE[0] <= value <= SCAN_RANGE[1]):
            return f"its {name} would be {value:.3g}"
    pos = 20
    while pos + 4 <= len(block):
        (tag,) = struct.unpack_from(">i", block, pos)
        if tag == 0 and len(block) - pos - 4 > AFTER_END:
            return (f"its tags end at byte {pos} (a tag 0) and {'' if whole else 'over '}"
                    f"{len(block) - pos - 4} bytes follow")
        if tag == 0 or tag in NO_LENGTH_TAGS:
            return ""
        if not 0 < tag <= LAST_TAG:
            return f"a tag numbered {tag} at byte {pos} of it"
        form = ">i" if tag == INT32_LENGTH_TAG else ">q"
        if pos + 4 + struct.calcsize(form) > len(block):
            break
        (length,) = struct.unpack_from(form, block, pos + 4)
        pos += 4 + struct.calcsize(form)
        if length < 0 or (whole and pos + length > len(block)):
            return f"tag {tag} declares {length} bytes, {len(block) - pos} are left"
        pos += length
    if whole and 20 < len(block) and pos != len(block):
        return f"{len(block) - pos} bytes left over after its last tag"
    return ""


def footer_words(problem: str, extra: int, shape) -> str:
    """The reason a file is refused for a footer that cannot be one."""
    return (f"{extra} bytes follow the {'x'.join(map(str, shape))} voxels its header declares and "
            f"are no MGH footer ({problem}): the header's dimensions are smaller than its data "
            "(damaged header)")
