"""A file whose compressed (encapsulated) pixel data end without their sequence delimiter
(FFFE,E0DD): the last 8 bytes of a file cut short, every frame still whole (pydicom's
``emri_small_jpeg_2k_lossless_too_short.dcm``).

pydicom 3.0.2 reads such a file as an empty dataset, with a warning; dcm2niix 1.0.20260724
converts its frames. :func:`read_with_delimiter` reads it again with the delimiter added in
memory, and is used only where pydicom found no element at all.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
from typing import Optional

DELIMITER = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
"""(FFFE,E0DD), length 0, little endian: compressed pixel data are never big endian."""
LIMIT = 1 << 30
"""A larger file is not read into memory again."""
UNDEFINED = 0xFFFFFFFF


def note(path: str) -> str:
    return (f"{path}: compressed pixel data end without their delimiter (the file's last 8 "
            "bytes, cut short?): read as if it were there, as dcm2niix reads it")


def read_with_delimiter(path: str, **options) -> Optional[object]:
    """The dataset of ``path`` read with the delimiter its compressed pixel data lack, or
    ``None`` where that is not what makes pydicom find nothing in it."""
    import pydicom

    from .elements import element_map

    try:
        if os.path.getsize(path) > LIMIT:
            return None
        with open(path, "rb") as handle:
            data = handle.read()
        if data.endswith(DELIMITER):
            return None
        options.pop("defer_size", None)  # in memory: nothing is deferred
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(io.BytesIO(data + DELIMITER), **options)
    except Exception:  # noqa: BLE001 - pydicom's zoo: not the case this reads
        return None
    pixels = element_map(ds).get(0x7FE00010)
    undefined = (getattr(pixels, "length", None) == UNDEFINED
                 or getattr(pixels, "is_undefined_length", False))
    if pixels is None or not undefined or not _whole_items(bytes(pixels.value)):
        return None
    return ds


def _whole_items(value: bytes) -> bool:
    """Whether the encapsulated value (items, then the delimiter read up to) is whole items
    only: a file cut inside a frame is not read as if it were whole."""
    pos = 0
    while pos + 8 <= len(value):
        group, element, length = struct.unpack_from("<HHI", value, pos)
        if (group, element) != (0xFFFE, 0xE000):
            return False
        pos += 8 + length
    return pos == len(value)


def ends_inside_pixel_data(path: str) -> bool:
    """Whether a file pydicom found no element in is one cut inside its compressed pixel data
    (a fragment's bytes end before its length does): read up to the pixel data, its elements are
    there, and its transfer syntax is an encapsulated one. Such a file was said to hold "no
    readable data elements"."""
    import pydicom

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(path, stop_before_pixels=True)
        syntax = ds.file_meta.get("TransferSyntaxUID") if hasattr(ds, "file_meta") else None
        return bool(ds.keys()) and syntax is not None and pydicom.uid.UID(syntax).is_encapsulated
    except Exception:  # noqa: BLE001 - pydicom's zoo: not the case this reads
        return False
