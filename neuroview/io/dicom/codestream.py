"""The image size a compressed frame's own codestream declares, checked against the DICOM header
before a decoder allocates it.

A JPEG 2000 decoder (OpenJPEG, through pylibjpeg) allocates the image its codestream's SIZ
marker declares, whatever the header's Rows and Columns say: two damaged bytes in a 640x480
frame declared 1,048,883,200 pixels, and decoding it took 15 GB of memory and 68 s before the
size mismatch was noticed (found by ``bench/input_fuzz.py``). JPEG and JPEG-LS declare theirs in
the SOF marker (16 bits a side: up to 12 GB for three components).
"""

from __future__ import annotations

import struct
from typing import Optional

from ...core.errors import DicomError
from ...core.plural import plural

JP2_SIGNATURE = b"\x00\x00\x00\x0c\x6a\x50\x20\x20"


def j2k_size(codestream: bytes) -> Optional[tuple[int, int, int]]:
    """(rows, columns, components) from a JPEG 2000 codestream's SIZ marker (ISO/IEC 15444-1
    A.5.1), inside a JP2 file's jp2c box too; ``None`` when it has none where it must be."""
    offset = 0
    if codestream.startswith(JP2_SIGNATURE):
        offset = 12
        while offset + 8 <= len(codestream):
            length = int.from_bytes(codestream[offset:offset + 4], "big")
            if codestream[offset + 4:offset + 8] == b"jp2c":
                offset += 8
                break
            if length < 8:
                return None
            offset += length
    head = codestream[offset:offset + 42]
    if len(head) < 42 or head[:4] != b"\xff\x4f\xff\x51":
        return None
    xsiz, ysiz, xosiz, yosiz = struct.unpack(">4I", head[8:24])
    components = struct.unpack(">H", head[40:42])[0]
    return max(0, ysiz - yosiz), max(0, xsiz - xosiz), components


def jpeg_size(codestream: bytes) -> Optional[tuple[int, int, int]]:
    """(rows, columns, components) from a JPEG or JPEG-LS codestream's SOF marker (pydicom's own
    parser of it); ``None`` when it cannot be read."""
    try:
        from pydicom.pixels.utils import _get_jpg_parameters
    except ImportError:  # a pydicom without it: the decoder's own checks stay
        return None
    info = _get_jpg_parameters(codestream)
    if not {"height", "width", "components"} <= set(info):
        return None
    return int(info["height"]), int(info["width"]), int(info["components"])


def declared_size(syntax, codestream: bytes) -> Optional[tuple[int, int, int]]:
    name = str(syntax)
    if name.startswith(("1.2.840.10008.1.2.4.9", "1.2.840.10008.1.2.4.20")):  # JPEG 2000, HTJ2K
        return j2k_size(codestream)
    if name.startswith("1.2.840.10008.1.2.4."):  # JPEG (baseline .50 to lossless .70), JPEG-LS .8x
        return jpeg_size(codestream)
    return None


JPEG_LS = ("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81")
EOI = b"\xff\xd9"


def ends_with_eoi(frame: bytes) -> bool:
    """Whether a JPEG-family frame ends with its end-of-image marker (a fragment may pad it to
    an even length with one zero byte). Every JPEG frame of pydicom's test files does."""
    return frame.endswith(EOI) or frame[-3:-1] == EOI


def check_frame(syntax, frame: bytes, rows: int, columns: int, samples: int, path: str) -> None:
    """Refuse a frame whose codestream declares more pixels than the header's frame holds, or
    fewer (every decoder then failed on its output's shape: 'could not broadcast input array'),
    and a JPEG-LS frame cut short (pylibjpeg decoded one cut in half without a word, its rows past
    the cut made up)."""
    if frame and str(syntax) in JPEG_LS and not ends_with_eoi(frame):   # b"": not found
        raise DicomError("cannot decode pixel data (the JPEG-LS frame ends without its end-of-image "
                         "marker: cut short or damaged)", path=path)
    size = declared_size(syntax, frame[:65536])
    if size is None:
        return
    height, width, components = size
    declared, header = height * width * max(1, components), rows * columns * max(1, samples)
    if declared != header and (declared > header or (height, width) != (rows, columns)):
        why = ("refused before decoding; damaged, or a decompression bomb" if declared > header
               else "the header's Rows or Columns, or the stream, is damaged")
        raise DicomError(f"cannot decode pixel data (the compressed frame declares a {width}x"
                         f"{height} image of {plural(components, 'component')} where the header says "
                         f"{columns}x{rows}: {why})", path=path)
