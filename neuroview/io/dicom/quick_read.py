"""neuroview's own reader of DICOM headers, for the common case, with pydicom as the fallback.

Profiled on the bench studies (``bench/load.py``), pydicom's ``dcmread`` and the conversion of
its values were most of a scan's time: about 1.2 ms per file, where reading the bytes takes a
few microseconds. :func:`quick_read` walks the file meta and the dataset's elements up to the
pixel data with ``struct``, for Little Endian transfer syntaxes (explicit VR, implicit VR, and
the encapsulated ones, whose datasets are explicit VR little endian), including sequences of
defined and undefined length, and converts only the values the scan asks for
(:data:`.quick_dataset.KEYWORDS`), to what pydicom's values give after the scan's own conversions.

It declines (returns ``None``, and the scan reads the file with pydicom) on anything it is not
sure of: no ``DICM`` preamble, big endian or deflated data, a VR that is not a VR or differs from
the dictionary's for a value the scan reads, elements out of order or running past the end,
non-ASCII or backslash-separated text where the scan uses the string, numbers pydicom would
reject or read differently, private tags in implicit VR, DICOMDIRs and files without pixel
data. The tests check that on every DICOM file the suite makes or installs, the frames it gives
equal pydicom's path's frames.
"""

from __future__ import annotations

import struct
from typing import Optional

from .frame_groups import HEAD_EXPLICIT, LENGTH, BadBytes, RawItem, read_items
from .no_meta import VRS
from .quick_dataset import (
    ENCAPSULATED_SYNTAXES,
    EXPLICIT_LE,
    IMPLICIT_LE,
    PIXEL_DATA,
    PIXEL_TAGS,
    PRIVATE_READ,
    TAG_VR,
    Decline,
    QuickDataset,
    QuickElement,
    Syntax,
)

ITEM, SEQUENCE_END, UNDEFINED = 0xFFFEE000, 0xFFFEE0DD, 0xFFFFFFFF
_LONG_VRS = frozenset(b"OB OD OF OL OV OW SQ SV UC UN UR UT UV".split())
_VR_NAMES = {code: code.decode("ascii") for code in VRS}
FIRST_READ = 16384
"""Bytes read first from a file (most headers end before; more are read as needed)."""
_MAX_HEADER = 64 << 20
"""A dataset whose elements before the pixel data pass this is left to pydicom."""


def quick_read(path: str) -> Optional[QuickDataset]:
    """The header of ``path`` read by neuroview, or ``None`` when pydicom must read it."""
    try:
        with open(path, "rb") as handle:
            return _Reader(handle).read()
    except (Decline, BadBytes, struct.error, UnicodeError, ValueError, OverflowError, OSError,
            RecursionError, IndexError):
        return None


class _Reader:
    def __init__(self, handle) -> None:
        import os

        self.handle = handle
        self.size = os.fstat(handle.fileno()).st_size
        self.data = handle.read(FIRST_READ)
        self.done = len(self.data) >= self.size  # the whole file is in ``data``

    def need(self, end: int) -> None:
        """Make ``data`` hold the file's first ``end`` bytes (Decline past the file's end)."""
        if end <= len(self.data):
            return
        if end > _MAX_HEADER:
            raise Decline("header too large")
        if not self.done:
            self.handle.seek(len(self.data))
            self.data += self.handle.read(max(end, 2 * len(self.data)) - len(self.data))
            self.done = len(self.data) >= self.size
        if end > len(self.data):
            raise Decline("runs past the end of the file")

    def read(self) -> QuickDataset:
        self.need(132)
        if self.data[128:132] != b"DICM":
            raise Decline("no preamble")
        meta, pos = self.elements(132, implicit=False, meta=True)
        syntax_element = meta.get(0x00020010)
        if syntax_element is None:
            raise Decline("no transfer syntax")
        syntax = bytes(syntax_element.value).decode("ascii").rstrip("\x00 ")
        if syntax == IMPLICIT_LE:
            implicit = True
        elif syntax == EXPLICIT_LE or syntax in ENCAPSULATED_SYNTAXES:
            implicit = False
        else:
            raise Decline("transfer syntax")
        self.need(pos + 6)
        looks_explicit = self.data[pos + 4:pos + 6] in VRS
        if looks_explicit == implicit:  # pydicom follows the data, warning: let it
            raise Decline("VR encoding differs from the transfer syntax")
        elements, _ = self.elements(pos, implicit, meta=False)
        if PIXEL_DATA not in elements or 0x00041220 in elements:
            raise Decline("not an image")
        if implicit and any(tag in elements for tag in PRIVATE_READ):
            raise Decline("private tags in implicit VR")  # their VR comes from pydicom's tables
        return QuickDataset(elements, Syntax(syntax), implicit, self.data)

    def elements(self, pos: int, implicit: bool, meta: bool) -> tuple[dict, int]:
        """Top-level elements from ``pos`` to the pixel data (or the meta group's end)."""
        out: dict = {}
        last = -1
        while True:
            if pos + 8 > len(self.data):
                self.need(pos + 8)
            # one precompiled unpack per element head: tag and length, or tag, VR and length
            group, elem, code, length = HEAD_EXPLICIT(self.data, pos)
            if meta and group != 2:
                return out, pos
            tag = (group << 16) | elem
            if implicit:
                vr = TAG_VR.get(tag) or PRIVATE_READ.get(tag)
                length = LENGTH(self.data, pos + 4)[0]
                start = pos + 8
            else:
                vr = _VR_NAMES.get(code)
                if vr is None:
                    raise Decline("not a VR")
                if code in _LONG_VRS:
                    self.need(pos + 12)
                    length = LENGTH(self.data, pos + 8)[0]
                    start = pos + 12
                else:
                    start = pos + 8
            if tag <= last:
                raise Decline("elements out of order")
            last = tag
            if tag in PIXEL_TAGS:
                if tag != PIXEL_DATA:
                    raise Decline("float pixel data")
                if length == UNDEFINED:
                    self.fragments_end(start)
                out[tag] = QuickElement(tag, vr, length, start, None)
                return out, start
            if length == UNDEFINED:
                value, pos = self.undefined_sequence(tag, vr, start, implicit)
                out[tag] = QuickElement(tag, "SQ", length, start, value)
                continue
            end = start + length
            value = None
            if tag in TAG_VR or tag in PRIVATE_READ or meta:
                self.need(end)
                value = self.data[start:end]
                if vr == "SQ":
                    value = self.items(value, implicit)
            elif end > self.size:
                raise Decline("runs past the end of the file")
            out[tag] = QuickElement(tag, vr, length, start, value)
            pos = end

    def fragments_end(self, pos: int) -> int:
        """The end of encapsulated pixel data's fragments (Decline unless they reach their
        delimiter inside the file: pydicom then reports the damage)."""
        for _ in range(1 << 20):
            self.handle.seek(pos)
            head = self.handle.read(8)
            if len(head) < 8:
                break
            tag, length = struct.unpack("<II", head)
            tag = ((tag & 0xFFFF) << 16) | (tag >> 16)
            if tag == SEQUENCE_END:
                return pos + 8
            if tag != ITEM or pos + 8 + length > self.size:
                break
            pos += 8 + length
        raise Decline("encapsulated pixel data without its delimiter")

    @staticmethod
    def items(data: bytes, implicit: bool) -> list[RawItem]:
        items, end = read_items(bytes(data), 0, len(data), implicit)
        if end != len(data):
            raise BadBytes("sequence runs past its length")
        return items

    def undefined_sequence(self, tag: int, vr: Optional[str], start: int, implicit: bool):
        """Items of an undefined-length sequence and the position after its delimiter."""
        if vr not in (None, "SQ", "UN"):
            raise Decline("undefined length outside a sequence")
        while True:  # grow the buffer until the sequence parses to its delimiter
            try:
                return read_items(bytes(self.data), start, len(self.data),
                                   implicit or vr == "UN", True)
            except (BadBytes, struct.error):
                if self.done:
                    raise Decline("sequence without its delimiter") from None
                self.need(2 * len(self.data))


