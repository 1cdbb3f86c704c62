"""neuroview's own reader of DICOM headers, for the common case, with pydicom as the fallback.

Profiled on the bench studies (``bench/load.py``), pydicom's ``dcmread`` and the conversion of
its values were most of a scan's time: about 1.2 ms per file, where reading the bytes takes a
few microseconds. :func:`quick_read` walks the file meta and the dataset's elements up to the
pixel data with ``struct``, for Little Endian transfer syntaxes (explicit VR, implicit VR, and
the encapsulated ones, whose datasets are explicit VR little endian), including sequences of
defined and undefined length, and converts only the values the scan asks for
(:data:`KEYWORDS`), to what pydicom's values give after the scan's own conversions.

It declines (returns ``None``, and the scan reads the file with pydicom) on anything it is not
sure of: no ``DICM`` preamble, big endian or deflated data, a VR that is not a VR or differs from
the dictionary's for a value the scan reads, elements out of order or running past the end,
non-ASCII or backslash-separated text where the scan uses the string, numbers pydicom would
reject or read differently, private tags in implicit VR, DICOMDIRs and files without pixel
data. The tests check that on every DICOM file the suite makes or installs, the frames it gives
equal pydicom's path's frames.
"""

from __future__ import annotations

import re
import struct
from typing import Optional

from .frame_groups import _HEAD_EXPLICIT, _LENGTH, BadBytes, RawItem, _read_items

EXPLICIT_LE, IMPLICIT_LE = "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"
ENCAPSULATED_SYNTAXES = frozenset({
    "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57",
    "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
    "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201",
    "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203", "1.2.840.10008.1.2.5",
})
"""JPEG, JPEG-LS, JPEG 2000, HTJ2K and RLE: datasets in explicit VR little endian."""

KEYWORDS = {  # the values the scan reads at the top level: keyword -> (tag, VR)
    "SOPClassUID": (0x00080016, "UI"), "Modality": (0x00080060, "CS"),
    "ImageType": (0x00080008, "CS"), "Manufacturer": (0x00080070, "LO"),
    "AcquisitionTime": (0x00080032, "TM"), "ContentTime": (0x00080033, "TM"),
    "AcquisitionDateTime": (0x0008002A, "DT"), "SeriesDescription": (0x0008103E, "LO"),
    "ComplexImageComponent": (0x00089208, "CS"), "ProtocolName": (0x00181030, "LO"),
    "SliceThickness": (0x00180050, "DS"), "EchoTime": (0x00180081, "DS"),
    "SpacingBetweenSlices": (0x00180088, "DS"), "EchoNumbers": (0x00180086, "IS"),
    "DiffusionDirectionality": (0x00189075, "CS"), "DiffusionBValue": (0x00189087, "FD"),
    "ImagerPixelSpacing": (0x00181164, "DS"), "SeriesInstanceUID": (0x0020000E, "UI"),
    "SeriesNumber": (0x00200011, "IS"), "InstanceNumber": (0x00200013, "IS"),
    "AcquisitionNumber": (0x00200012, "IS"),
    "ImagePositionPatient": (0x00200032, "DS"), "ImageOrientationPatient": (0x00200037, "DS"),
    "TemporalPositionIdentifier": (0x00200100, "IS"), "SamplesPerPixel": (0x00280002, "US"),
    "NumberOfFrames": (0x00280008, "IS"), "Rows": (0x00280010, "US"),
    "Columns": (0x00280011, "US"), "PixelSpacing": (0x00280030, "DS"),
    "BitsAllocated": (0x00280100, "US"), "BitsStored": (0x00280101, "US"),
    "PixelRepresentation": (0x00280103, "US"), "RescaleIntercept": (0x00281052, "DS"),
    "RescaleSlope": (0x00281053, "DS"), "GridFrameOffsetVector": (0x3004000C, "DS"),
    "DoseUnits": (0x30040002, "CS"), "DoseGridScaling": (0x3004000E, "DS"),
    "SharedFunctionalGroupsSequence": (0x52009229, "SQ"),
    "PerFrameFunctionalGroupsSequence": (0x52009230, "SQ"),
    "DirectoryRecordSequence": (0x00041220, "SQ"), "RescaleType": (0x00281054, "LO"),
    "WindowCenter": (0x00281050, "DS"), "WindowWidth": (0x00281051, "DS"),
    # the identifying values a loaded volume keeps (load.IDENTIFYING_KEYWORDS), as text only
    "PatientName": (0x00100010, "PN"), "PatientID": (0x00100020, "LO"),
    "IssuerOfPatientID": (0x00100021, "LO"),
    "PatientBirthDate": (0x00100030, "DA"), "PatientSex": (0x00100040, "CS"),
    "PatientAge": (0x00101010, "AS"), "OtherPatientIDs": (0x00101000, "LO"),
    "StudyDate": (0x00080020, "DA"), "SeriesDate": (0x00080021, "DA"),
    "AcquisitionDate": (0x00080022, "DA"), "ContentDate": (0x00080023, "DA"),
    "StudyTime": (0x00080030, "TM"), "SeriesTime": (0x00080031, "TM"),
    "AccessionNumber": (0x00080050, "SH"), "StudyID": (0x00200010, "SH"),
    "StudyInstanceUID": (0x0020000D, "UI"), "SOPInstanceUID": (0x00080018, "UI"),
    "FrameOfReferenceUID": (0x00200052, "UI"), "InstitutionName": (0x00080080, "LO"),
    "InstitutionAddress": (0x00080081, "ST"), "ReferringPhysicianName": (0x00080090, "PN"),
    "PerformingPhysicianName": (0x00081050, "PN"), "OperatorsName": (0x00081070, "PN"),
    "StationName": (0x00081010, "SH"), "DeviceSerialNumber": (0x00181000, "LO"),
    "StudyDescription": (0x00081030, "LO"), "BodyPartExamined": (0x00180015, "CS"),
    "ManufacturerModelName": (0x00081090, "LO"), "MagneticFieldStrength": (0x00180087, "DS"),
    "SoftwareVersions": (0x00181020, "LO"), "BurnedInAnnotation": (0x00280301, "CS"),
}
_TAG_VR = {tag: vr for tag, vr in KEYWORDS.values()}
PRIVATE_READ = {  # private tags the scan reads (see fields.py, mosaic.py): tag -> VR
    0x2005100E: "FL", 0x20011003: "FL", 0x20011004: "CS", 0x2005140F: "SQ",
    0x00651050: "DS", 0x00651051: "SQ", 0x00291010: "OB", 0x0043102F: "SS",
}
# strings the scan uses as strings (a multi-value would print as a list in pydicom)
_SINGLE_STRINGS = {0x00080016, 0x00080060, 0x00080070, 0x0008103E, 0x00181030, 0x0020000E,
                   0x00281054}
PIXEL_TAGS = (0x7FE00008, 0x7FE00009, 0x7FE00010)
PIXEL_DATA = 0x7FE00010
ITEM, SEQUENCE_END, UNDEFINED = 0xFFFEE000, 0xFFFEE0DD, 0xFFFFFFFF
_VRS = frozenset(b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV "
                 b"TM UC UI UL UN UR US UT UV".split())
_LONG_VRS = frozenset(b"OB OD OF OL OV OW SQ SV UC UN UR UT UV".split())
_VR_NAMES = {code: code.decode("ascii") for code in _VRS}
_BINARY = {"US": "<H", "UL": "<I", "SS": "<h", "SL": "<i", "FL": "<f", "FD": "<d"}
FIRST_READ = 16384
"""Bytes read first from a file (most headers end before; more are read as needed)."""
_MAX_HEADER = 64 << 20
"""A dataset whose elements before the pixel data pass this is left to pydicom."""


_SHARED: dict = {}
_SHARED_LIMIT = 50_000
_UNSET = object()


class Decline(Exception):
    """Not the common case: let pydicom read the file."""


class QuickElement:
    """One element: where its value lies in the file and its raw bytes (``value``), or the
    items of a sequence; the attributes the scan reads of pydicom's raw elements."""

    __slots__ = ("tag", "VR", "length", "value_tell", "value")
    is_raw = False  # the scan's raw-bytes readers do not apply: sequences come parsed

    def __init__(self, tag, vr, length, value_tell, value) -> None:
        self.tag, self.VR, self.length, self.value_tell, self.value = (tag, vr, length,
                                                                       value_tell, value)


class QuickDataset:
    """What :func:`quick_read` gives: the slice of pydicom's Dataset interface the scan uses
    (``keys``, ``get``, ``in``) with values converted as the scan needs them."""

    def __init__(self, elements: dict, syntax: str, implicit: bool, raw: bytes = b"") -> None:
        self._elements = elements
        self.transfer_syntax = syntax
        self.implicit = implicit
        self.raw = raw
        """The file's first bytes as read (the header up to the pixel data, at least)."""
        self._values: dict = {}

    def with_values(self, values: dict) -> QuickDataset:
        """A copy whose top-level elements ``values`` (tag -> raw bytes of the same length)
        hold other bytes: what this reader gives of a file that differs from this one's only
        there (:mod:`.templates`). Every other value stays converted."""
        elements = dict(self._elements)
        for tag, data in values.items():
            old = elements[tag]
            elements[tag] = QuickElement(tag, old.VR, old.length, old.value_tell, data)
        copy = QuickDataset(elements, self.transfer_syntax, self.implicit)
        copy._values = {tag: value for tag, value in self._values.items() if tag not in values}
        return copy

    def keys(self):
        """The tags of its elements: the view of the dict holding them, as pydicom's."""
        return self._elements.keys()

    def __contains__(self, key) -> bool:
        return _tag_of(key) in self._elements

    def get(self, key, default=None):
        if isinstance(key, int):  # a private tag: the element, its value converted
            element = self._elements.get(key)
            if element is None:
                return default
            return QuickElement(key, element.VR, element.length, element.value_tell,
                                _private_value(element))
        tag, vr = KEYWORDS[key]
        try:
            return self._values[tag]
        except KeyError:
            pass
        element = self._elements.get(tag)
        if element is None:
            value = default
        elif vr == "SQ" or type(element.value) is not bytes:
            value = _value(element, vr)
        else:  # converted once per distinct bytes in a process: the files of a series repeat them
            key = (tag, element.VR, element.value)
            value = _SHARED.get(key, _UNSET)
            if value is _UNSET:
                value = _value(element, vr)
                if len(_SHARED) >= _SHARED_LIMIT:
                    _SHARED.clear()  # full of values seen once (instance numbers, times)
                _SHARED[key] = value
        self._values[tag] = value
        return value


    def source_text(self, keyword: str) -> Optional[str]:
        """``str()`` of pydicom's value of ``keyword`` (``None`` when absent or empty), for the
        identifying values a volume keeps; Decline for what only pydicom can decode (other
        character sets, several values)."""
        tag, vr = KEYWORDS[keyword]
        element = self._elements.get(tag)
        if element is None or not element.value:
            return None
        if element.VR not in (None, vr):
            raise Decline("VR differs from the dictionary's")
        text = bytes(element.value).decode("ascii")
        if "\\" in text or any(ch < " " and ch != "\x00" for ch in text):
            raise Decline("text pydicom reads differently")
        if vr in ("DS", "IS"):  # pydicom keeps the stripped text of a number
            text = text.strip().rstrip(" \x00")
            _number(float if vr == "DS" else int, text)
            return text
        return text.rstrip("\x00 ") or None


class Syntax(str):
    """The transfer syntax as the scan asks about it (pydicom's UID properties)."""

    is_deflated = False
    is_transfer_syntax = True  # the reader declines every syntax it does not know

    @property
    def is_compressed(self) -> bool:
        return str(self) in ENCAPSULATED_SYNTAXES


def _tag_of(key) -> Optional[int]:
    if isinstance(key, int):
        return key
    if isinstance(key, tuple):
        return (key[0] << 16) | key[1]
    return KEYWORDS[key][0]


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
        looks_explicit = self.data[pos + 4:pos + 6] in _VRS
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
            group, elem, code, length = _HEAD_EXPLICIT(self.data, pos)
            if meta and group != 2:
                return out, pos
            tag = (group << 16) | elem
            if implicit:
                vr = _TAG_VR.get(tag) or PRIVATE_READ.get(tag)
                length = _LENGTH(self.data, pos + 4)[0]
                start = pos + 8
            else:
                vr = _VR_NAMES.get(code)
                if vr is None:
                    raise Decline("not a VR")
                if code in _LONG_VRS:
                    self.need(pos + 12)
                    length = _LENGTH(self.data, pos + 8)[0]
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
            if tag in _TAG_VR or tag in PRIVATE_READ or meta:
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
        items, end = _read_items(bytes(data), 0, len(data), implicit)
        if end != len(data):
            raise BadBytes("sequence runs past its length")
        return items

    def undefined_sequence(self, tag: int, vr: Optional[str], start: int, implicit: bool):
        """Items of an undefined-length sequence and the position after its delimiter."""
        if vr not in (None, "SQ", "UN"):
            raise Decline("undefined length outside a sequence")
        while True:  # grow the buffer until the sequence parses to its delimiter
            try:
                return _read_items(bytes(self.data), start, len(self.data),
                                   implicit or vr == "UN", True)
            except (BadBytes, struct.error):
                if self.done:
                    raise Decline("sequence without its delimiter") from None
                self.need(2 * len(self.data))


_CONTROL_CHARACTER = re.compile("[\x01-\x1f]")
"""A control character but NUL (padding): text pydicom may read otherwise (one search a value,
not a Python loop over its characters)."""


def _text(data: bytes, tag: int) -> str:
    text = data.decode("ascii")
    if _CONTROL_CHARACTER.search(text) or (tag in _SINGLE_STRINGS and "\\" in text):
        raise Decline("text the scan would read differently")
    return text


def _value(element: QuickElement, vr: str):
    """The value of a standard element as the scan sees pydicom's."""
    if element.VR not in (None, vr):
        raise Decline("VR differs from the dictionary's")
    data = element.value
    if vr == "SQ":
        return data
    if not data:
        return "" if vr in ("CS", "LO", "UI", "TM", "DT") else None
    if vr in _BINARY:
        fmt = _BINARY[vr]
        size = struct.calcsize(fmt)
        if len(data) % size:
            raise Decline("binary length")
        values = tuple(v[0] for v in struct.iter_unpack(fmt, data))
        return values[0] if len(values) == 1 else values
    text = _text(bytes(data), element.tag)
    if vr == "LO":  # pydicom's convert_text: split, then strip each value's end
        parts = [p.rstrip("\x00 ") for p in text.split("\\")]
    else:  # convert_string / UI / DS / IS: strip the end, then split
        parts = (text.strip() if vr in ("DS", "IS") else text).rstrip(" \x00").split("\\")
    if vr == "DS":
        parts = [_number(float, p) for p in parts]
    elif vr == "IS":
        parts = [_number(int, p) for p in parts]
    return parts[0] if len(parts) == 1 else tuple(parts)


def _number(kind, text: str):
    if not text.strip():
        raise Decline("empty number in a list")
    return kind(text)


def _private_value(element: QuickElement):
    """A private element's value as pydicom gives it (explicit VR only, see read)."""
    vr = PRIVATE_READ.get(element.tag)
    if vr is None or element.VR != vr:
        if element.tag in PRIVATE_READ:
            raise Decline("private tag with another VR")
        return element.value
    if vr == "SQ":
        return element.value
    if vr == "FL":
        data = element.value
        if not data:
            return None
        return _value(QuickElement(element.tag, "FL", element.length, element.value_tell,
                                   data), "FL")
    if vr == "OB":
        return element.value
    return _value(element, vr)
