"""What :func:`.quick_read.quick_read` gives: the slice of pydicom's Dataset interface the scan
uses, with values converted from the raw bytes as the scan's conversions of pydicom's values
give them, and the tables of what the scan reads (:data:`KEYWORDS`, :data:`PRIVATE_READ`).
Anything it is not sure of raises :class:`Decline`: the scan then reads the file with pydicom.
"""

from __future__ import annotations

import re
import struct
from typing import Optional

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
    "TriggerTime": (0x00181060, "DS"), "ConvolutionKernel": (0x00181210, "SH"),
    "DiffusionDirectionality": (0x00189075, "CS"), "DiffusionBValue": (0x00189087, "FD"),
    "ImagerPixelSpacing": (0x00181164, "DS"), "SeriesInstanceUID": (0x0020000E, "UI"),
    "SeriesNumber": (0x00200011, "IS"), "InstanceNumber": (0x00200013, "IS"),
    "AcquisitionNumber": (0x00200012, "IS"),
    "ImagePositionPatient": (0x00200032, "DS"), "ImageOrientationPatient": (0x00200037, "DS"),
    "TemporalPositionIdentifier": (0x00200100, "IS"), "SamplesPerPixel": (0x00280002, "US"),
    "PhotometricInterpretation": (0x00280004, "CS"),
    "PresentationLUTShape": (0x20500020, "CS"),
    "NumberOfFrames": (0x00280008, "IS"), "Rows": (0x00280010, "US"),
    "Columns": (0x00280011, "US"), "PixelSpacing": (0x00280030, "DS"),
    "BitsAllocated": (0x00280100, "US"), "BitsStored": (0x00280101, "US"),
    "PixelRepresentation": (0x00280103, "US"), "RescaleIntercept": (0x00281052, "DS"),
    "RescaleSlope": (0x00281053, "DS"), "GridFrameOffsetVector": (0x3004000C, "DS"),
    "DoseUnits": (0x30040002, "CS"), "DoseGridScaling": (0x3004000E, "DS"),
    "SharedFunctionalGroupsSequence": (0x52009229, "SQ"),
    "PerFrameFunctionalGroupsSequence": (0x52009230, "SQ"),
    "DirectoryRecordSequence": (0x00041220, "SQ"), "RescaleType": (0x00281054, "LO"),
    "RealWorldValueMappingSequence": (0x00409096, "SQ"),
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
TAG_VR = {tag: vr for tag, vr in KEYWORDS.values()}
PRIVATE_READ = {  # private tags the scan reads (see vendor_fields.py, mosaic.py): tag -> VR
    0x2005100E: "FL", 0x20011003: "FL", 0x20011004: "CS", 0x2005140F: "SQ",
    0x00651050: "DS", 0x00651051: "SQ", 0x00291010: "OB", 0x0043102F: "SS",
}
# strings the scan uses as strings (a multi-value would print as a list in pydicom)
_SINGLE_STRINGS = {0x00080016, 0x00080060, 0x00080070, 0x0008103E, 0x00181030, 0x0020000E,
                   0x00281054}
PIXEL_TAGS = (0x7FE00008, 0x7FE00009, 0x7FE00010)
PIXEL_DATA = 0x7FE00010
_BINARY = {"US": "<H", "UL": "<I", "SS": "<h", "SL": "<i", "FL": "<f", "FD": "<d"}


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

    def raw_value(self, tag: int) -> Optional[bytes]:
        """The bytes of top-level element ``tag`` as the file holds them (``None`` when absent),
        for a value the scan does not read (the header up to the pixel data is in ``raw``)."""
        element = self._elements.get(tag)
        if element is None or element.value_tell + element.length > len(self.raw):
            return None
        if isinstance(element.value, bytes):
            return element.value
        return bytes(self.raw[element.value_tell:element.value_tell + element.length])

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
