"""Read an enhanced file's per-frame functional groups from their raw bytes, without pydicom.

A scan reads, for every frame of every enhanced file, a handful of values nested two sequences
deep (plane position, frame content, pixel value transformation...). pydicom builds a Dataset
and a DataElement for every element of every item on the way: profiled on 240 one-volume
Enhanced MR files of 24 frames, that was 85 % of the scan (8.8 ms per file). This module walks
the little-endian bytes of PerFrameFunctionalGroupsSequence once with ``struct`` and keeps each
item as a dict of raw element bytes; values are converted only when asked for, by the small
set of keywords the scan uses.

Only what it can read with certainty is read here: a defined-length sequence in little-endian
explicit or implicit VR whose bytes pydicom left raw (in memory or deferred on disk). Anything
else (big endian, a sequence pydicom already parsed, bytes that do not add up) returns ``None``
and the scan uses pydicom's own reading.
"""

from __future__ import annotations

import struct
from typing import Optional

from .elements import element_map

PER_FRAME_SEQUENCE = 0x52009230
SHARED_SEQUENCE = 0x52009229
ITEM, ITEM_END, SEQUENCE_END = 0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD
UNDEFINED = 0xFFFFFFFF
LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR",
             b"UT", b"UV"}

KEYWORDS = {  # the values the scan reads inside the functional groups: (tag, VR)
    "ImagePositionPatient": (0x00200032, "DS"), "ImageOrientationPatient": (0x00200037, "DS"),
    "PixelSpacing": (0x00280030, "DS"), "SliceThickness": (0x00180050, "DS"),
    "RescaleSlope": (0x00281053, "DS"), "RescaleIntercept": (0x00281052, "DS"),
    "TemporalPositionIndex": (0x00209128, "UL"), "FrameAcquisitionDateTime": (0x00189074, "DT"),
    "EffectiveEchoTime": (0x00189082, "FD"), "FrameType": (0x00089007, "CS"),
    "ComplexImageComponent": (0x00089208, "CS"), "DiffusionBValue": (0x00189087, "FD"),
    "DiffusionDirectionality": (0x00189075, "CS"),
    "RealWorldValueSlope": (0x00409225, "FD"), "RealWorldValueIntercept": (0x00409224, "FD"),
    "ConvolutionKernel": (0x00181210, "SH"),
}
_BINARY = {"UL": "<I", "US": "<H", "SL": "<i", "SS": "<h", "FD": "<d", "FL": "<f"}
# Sequences inside a frame item that implicit VR cannot mark: the groups the scan descends into.
_SEQUENCE_TAGS = {0x00209113, 0x00209116, 0x00289110, 0x00289145, 0x00209111, 0x00189114,
                  0x00189226, 0x00189329, 0x00189117, 0x2005140F, 0x00409096, 0x00189314}


class BadBytes(Exception):
    """The bytes do not parse as the sequence they claim to be."""


class RawElement:
    """An element's value: raw bytes, or a list of :class:`RawItem` for a sequence."""

    __slots__ = ("vr", "value")

    def __init__(self, vr: Optional[str], value) -> None:
        self.vr, self.value = vr, value


class RawItem:
    """One sequence item: ``keys()`` (a dict view, as a pydicom Dataset's: see
    :func:`.elements.element_map`) of its tags, each holding a :class:`RawElement`; ``get`` converts a value
    named by one of :data:`KEYWORDS` (or returns the element of an integer tag), as the parts of
    the scan that read functional groups ask for them from a pydicom Dataset."""

    __slots__ = ("_elements", "reads")

    def __init__(self) -> None:
        self._elements: dict[int, RawElement] = {}
        self.reads: dict = {}
        """What the scan's readers made of this item (``reader -> value``): an item parsed
        from bytes other files repeat (a slice's position in every volume file) is shared
        by them, and so is what was read from it."""

    def __getitem__(self, tag: int) -> RawElement:
        return self._elements[tag]

    def keys(self):
        """The tags of its elements: the view of the dict holding them, as pydicom's."""
        return self._elements.keys()

    def with_values(self, values: dict) -> RawItem:
        """A new item whose elements ``values`` (tag -> raw bytes) hold other bytes."""
        item = RawItem()
        item._elements.update(self._elements)
        for tag, data in values.items():
            item._elements[tag] = RawElement(self._elements[tag].vr, data)
        return item

    def get(self, key, default=None):
        if isinstance(key, int):
            return self._elements.get(key, default)
        tag, vr = KEYWORDS[key]
        element = self._elements.get(tag)
        if element is None or isinstance(element.value, list):
            return default
        return _convert(element.value, element.vr or vr)


_converted: dict = {}
_CONVERTED_LIMIT = 50_000
_UNSET = object()


def _convert(data: bytes, vr: str):
    """The value of raw element bytes (multiple values as a tuple), converted once per distinct
    bytes in a process: the frames of one run repeat their positions, spacing and types file
    after file."""
    key = (data, vr)
    value = _converted.get(key, _UNSET)
    if value is not _UNSET:
        return value
    if vr in _BINARY:
        size = struct.calcsize(_BINARY[vr])
        values = tuple(struct.unpack_from(_BINARY[vr], data, i)[0]
                       for i in range(0, len(data) - size + 1, size))
        value = values[0] if len(values) == 1 else (values or None)
    else:
        text = data.decode("latin-1").strip("\x00 ")
        parts = tuple(p.strip() for p in text.split("\\")) if text else ()
        value = parts[0] if len(parts) == 1 else (parts or None)
    if len(_converted) >= _CONVERTED_LIMIT:
        _converted.clear()  # full of values seen once (each frame's time): start again
    _converted[key] = value
    return value


def raw_items(ds, path: str, tag: int = PER_FRAME_SEQUENCE) -> Optional[list[RawItem]]:
    """The items of ``ds``'s sequence ``tag`` (PerFrameFunctionalGroupsSequence by default) read
    from raw bytes, or ``None`` when this reader does not apply (then use pydicom's)."""
    raw = element_map(ds).get(tag)
    if raw is None or not getattr(raw, "is_raw", False) or not raw.is_little_endian:
        return None
    length = raw.length
    if length in (None, UNDEFINED):
        return None
    data = raw.value
    if data is None:  # deferred: still on disk
        try:
            with open(path, "rb") as handle:
                handle.seek(raw.value_tell)
                data = handle.read(length)
        except OSError:
            return None
    if not isinstance(data, (bytes, bytearray)) or len(data) != length:
        return None
    try:
        items, end = read_items(bytes(data), 0, length, bool(raw.is_implicit_VR))
    except (BadBytes, struct.error, UnicodeError):
        return None
    return items if end == length else None


def read_items(data: bytes, pos: int, end: int, implicit: bool,
                delimited: bool = False) -> tuple[list[RawItem], int]:
    """Items of a sequence value from ``pos`` up to ``end`` (defined length) or, when
    ``delimited``, up to its sequence delimiter (``end`` is then the enclosing item's end)."""
    items = []
    while pos < end:
        group, element, length = HEAD_IMPLICIT(data, pos)
        tag = (group << 16) | element
        pos += 8
        if tag == SEQUENCE_END:
            if not delimited:
                raise BadBytes("sequence delimiter in a defined-length sequence")
            return items, pos
        if tag != ITEM:
            raise BadBytes(f"expected an item, found {tag:08X}")
        item = RawItem()
        pos = _read_elements(data, pos, end if length == UNDEFINED else pos + length, implicit,
                             item, length == UNDEFINED)
        items.append(item)
    if pos != end or delimited:
        raise BadBytes("sequence runs past its length or misses its delimiter")
    return items, pos


_parsed: dict = {}
_PARSED_LIMIT = 20_000


def _sequence(data, pos: int, end: int, implicit: bool) -> list[RawItem]:
    """The items of the defined-length sequence value ``data[pos:end]``, parsed once per
    distinct bytes in a process: the frames of a run repeat most of their functional groups
    (orientation, spacing, rescale, frame type, and each slice's position in every volume
    file), so only the groups that change (frame content) are parsed again. The items are
    shared read-only, like the converted values (:func:`_convert`)."""
    key = (data[pos:end], implicit)
    items = _parsed.get(key)
    if items is None:
        items, _ = read_items(data, pos, end, implicit)
        if len(_parsed) >= _PARSED_LIMIT:
            # full of groups seen once (each frame's content item): start again, so the
            # groups later files repeat (the next run's slice positions) are still kept
            _parsed.clear()
        _parsed[key] = items
    return items


HEAD_IMPLICIT = struct.Struct("<HHI").unpack_from
"""Tag and 32-bit length of an element in implicit VR (and of an item or delimiter)."""
HEAD_EXPLICIT = struct.Struct("<HH2sH").unpack_from
"""Tag, VR and 16-bit length of an element in explicit VR (the length of a short VR)."""
LENGTH = struct.Struct("<I").unpack_from
_VR_NAMES = {code: code.decode("ascii") for code in (
    b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN "
    b"UR US UT UV").split()}


def _read_elements(data: bytes, pos: int, end: int, implicit: bool, item: RawItem,
                   delimited: bool) -> int:
    """The elements of one item into ``item``; the position after them. ``data`` is bytes
    (slices of it are the values and the cache keys, without a copy through a memoryview):
    with precompiled structs this loop reads the element heads of a scan's 6,000 items a
    third faster than one ``unpack_from`` per field did."""
    elements = item._elements
    while pos < end:
        if implicit:
            group, element, length = HEAD_IMPLICIT(data, pos)
            vr = None
            pos += 8
        else:
            group, element, code, length = HEAD_EXPLICIT(data, pos)
            vr = _VR_NAMES.get(code) or code.decode("ascii")
            if code in LONG_VRS:
                length = LENGTH(data, pos + 8)[0]
                pos += 12
            else:
                pos += 8
        tag = (group << 16) | element
        if tag == ITEM_END:
            if not delimited:
                raise BadBytes("item delimiter in a defined-length item")
            return pos  # its head is 8 bytes in either VR: (FFFE,E00D) and a zero length
        # a sequence the scan reads may come as UN (a private one written by a tool that did not
        # know it): its value is then implicit VR little endian (PS3.5 6.2.2)
        is_sequence = vr == "SQ" or length == UNDEFINED or (vr in (None, "UN")
                                                             and tag in _SEQUENCE_TAGS)
        if is_sequence and (vr in (None, "SQ", "UN")):
            # an undefined-length UN is a sequence in implicit VR (PS3.5 6.2.2)
            if length == UNDEFINED:
                items, pos = read_items(data, pos, end, implicit or vr == "UN", True)
            else:
                items = _sequence(data, pos, pos + length, implicit or vr == "UN")
                pos += length
            elements[tag] = RawElement("SQ", items)
            continue
        if length == UNDEFINED or pos + length > end:
            raise BadBytes(f"element {tag:08X} runs past its item")
        elements[tag] = RawElement(vr, data[pos:pos + length])
        pos += length
    if delimited:
        raise BadBytes("undefined-length item without its delimiter")
    return pos
