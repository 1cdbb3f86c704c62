"""The values a scan keeps of a DICOM header, converted once and the same way for both readers
(neuroview's :mod:`.quick_read` and pydicom): numbers, the image kind (dcm2niix's suffixes), the
columns of an enhanced file's functional groups, and the vendors' private tags (Philips scales
and trace images, UIH grid mosaics). :mod:`.scan` makes frame references of them.
"""

from __future__ import annotations

import re
import struct
from typing import Optional

from .elements import element_map
from .quick_read import QuickDataset
from .refs import FrameRef


def as_float(value, default=None):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def as_floats(value, n):
    try:
        out = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return out if len(out) == n else None


def first_value(value):
    """The first value of a multi-valued element (or the value itself)."""
    if value is None or isinstance(value, (str, bytes, int, float)):
        return value
    try:
        return value[0] if len(value) else None
    except TypeError:
        return value


def as_int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# Value representations whose conversion depends on the bytes alone (not on the character set).
_BYTES_ONLY_VRS = frozenset({"UI", "CS", "DS", "IS", "US", "SS", "UL", "SL", "FL", "FD", "TM", "DA",
                             "DT", "AS"})
_CACHE_LIMIT = 10_000


def header_value(ds, keyword: str, cache: Optional[dict] = None):
    """``ds.get(keyword)``, reusing the value converted from the same raw bytes in another file.

    The files of a series repeat most header values byte for byte (UIDs, matrix, orientation,
    spacing, rescale); pydicom's conversion of each element costs more than parsing the file, so
    a scan converts each distinct raw value once. Only value types whose conversion depends on
    the bytes alone are shared; values are shared read-only (callers copy them into tuples).
    """
    if cache is None or isinstance(ds, QuickDataset):  # its values are converted once
        return ds.get(keyword)
    from pydicom.datadict import dictionary_VR, tag_for_keyword
    from pydicom.dataelem import RawDataElement

    tag = cache.get(keyword)
    if tag is None:
        tag = cache[keyword] = tag_for_keyword(keyword)
    raw = element_map(ds).get(tag) if tag is not None else None
    if raw is None and tag is not None:
        return None  # absent (what ds.get gives, without its keyword lookups)
    if raw is None or not isinstance(raw, RawDataElement) or raw.value is None:
        return ds.get(keyword)
    vr = raw.VR
    if vr is None:  # implicit VR: the dictionary's
        try:
            vr = dictionary_VR(tag)
        except KeyError:
            return ds.get(keyword)
    if vr not in _BYTES_ONLY_VRS:
        return ds.get(keyword)
    key = (tag, vr, raw.is_little_endian, raw.value)
    try:
        return cache[key]
    except KeyError:
        value = ds.get(keyword)
        if len(cache) < _CACHE_LIMIT:
            cache[key] = value
        return value


def _first_item(container, keyword):
    seq = container.get(keyword) if container is not None else None
    return seq[0] if seq else None


def _group_item(container, tag: int):
    """The first item of functional-group sequence ``tag``, looked up by tag (a scan does this
    for every frame of every enhanced file: keyword lookups cost more than the parsing)."""
    if container is None or tag not in container.keys():
        return None
    seq = container[tag].value
    return seq[0] if seq else None


GROUP_TAGS = {
    "PlanePositionSequence": 0x00209113, "PlaneOrientationSequence": 0x00209116,
    "PixelMeasuresSequence": 0x00289110, "PixelValueTransformationSequence": 0x00289145,
    "FrameContentSequence": 0x00209111, "MREchoSequence": 0x00189114,
    "MRImageFrameTypeSequence": 0x00189226, "CTImageFrameTypeSequence": 0x00189329,
    "MRDiffusionSequence": 0x00189117,
}
_GROUP_NAMES = {tag: name for name, tag in GROUP_TAGS.items()}


_UNREAD = object()


class FrameFields:
    """Look a functional-group attribute up per frame first, then in the shared groups."""

    def __init__(self, ds, path: str) -> None:
        from .frame_groups import SHARED_SEQUENCE, raw_items

        shared = raw_items(ds, path, SHARED_SEQUENCE)  # raw bytes: 5-10x faster than pydicom
        self.shared = (shared[0] if shared else None) if shared is not None \
            else _first_item(ds, "SharedFunctionalGroupsSequence")
        self.per_frame = raw_items(ds, path)
        if self.per_frame is None:
            self.per_frame = ds.get("PerFrameFunctionalGroupsSequence")
        # the groups some frame has its own item of (the others come from the shared groups)
        self.per_frame_tags = set().union(*(item.keys() for item in self.per_frame or ()))
        self._columns: Optional[tuple[int, dict]] = None

    def columns(self, n_frames: int) -> dict:
        """:meth:`column` of every group the scan reads (:data:`GROUP_READERS`), by name:
        computed once (or given by :meth:`with_items`)."""
        if self._columns is None:
            self._columns = n_frames, {name: self.column(name, read, n_frames)
                                       for name, read in GROUP_READERS}
        if self._columns[0] != n_frames:
            raise ValueError("the columns were read for another number of frames")
        return self._columns[1]

    def with_reads(self, n_frames: int, reads: dict) -> FrameFields:
        """A copy whose frames read other values of some groups: ``reads`` maps (frame index,
        group tag) to what the group's reader (:data:`GROUP_READERS`) makes of the frame's own
        first item of that group. The other frames' values are this one's."""
        columns = dict(self.columns(n_frames))
        for (index, tag), value in reads.items():
            name = _GROUP_NAMES[tag]
            if columns[name] is self._columns[1][name]:
                columns[name] = list(columns[name])
            columns[name][index] = value
        copy = object.__new__(FrameFields)
        copy.__dict__.update(self.__dict__)
        copy._columns = n_frames, columns
        return copy

    def column(self, group: str, read, n_frames: int) -> list:
        """``read`` of each frame's item of functional ``group`` (its own, else the shared one;
        None when neither has it). Each distinct item is read once: a group only the shared
        item has (orientation, spacing...) costs one read for the whole file."""
        tag = GROUP_TAGS[group]
        shared = _group_item(self.shared, tag)
        shared_value = read(shared) if shared is not None else None
        if tag not in self.per_frame_tags:
            return [shared_value] * n_frames
        values, memo = [], {}
        for index in range(n_frames):
            found = _group_item(self.per_frame[index], tag) if index < len(self.per_frame) \
                else None
            if found is None:
                values.append(shared_value)
                continue
            reads = getattr(found, "reads", None)  # a RawItem: its reads, shared by every file
            if reads is not None:
                value = reads.get(read, _UNREAD)
                if value is _UNREAD:
                    value = reads[read] = read(found)
                values.append(value)
                continue
            key = id(found)  # the items live as long as this object: ids stay unique
            if key not in memo:
                memo[key] = read(found)
            values.append(memo[key])
        return values


_COMPONENTS = {"P": "ph", "PHASE": "ph", "R": "real", "REAL": "real", "I": "imaginary",
               "IMAGINARY": "imaginary"}
_DERIVED_MAPS = {"ADC": "ADC", "EADC": "EADC", "TRACEW": "TRACE", "TRACE": "TRACE", "FA": "FA",
                 "ISOTROPIC": "TRACE"}


def _values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split("\\")
    return [str(v).strip().upper() for v in value]


def image_kind(image_type, complex_component=None) -> tuple[str, str]:
    """(complex component suffix, derived map) of an ImageType / FrameType, as dcm2niix splits.

    dcm2niix never stacks phase, real or imaginary images with magnitude images, nor DERIVED
    images with ORIGINAL ones; it names them ``_ph``, ``_real``, ``_imaginary``.
    """
    values = _values(image_type)
    component = _COMPONENTS.get(str(complex_component or "").upper(), "")
    if not component:
        for value in values[2:]:
            if value in _COMPONENTS:
                component = _COMPONENTS[value]
                break
    derived = ""
    if values and values[0] == "DERIVED":
        derived = next((_DERIVED_MAPS[v] for v in values[1:] if v in _DERIVED_MAPS), "derived")
    return component, derived


def is_localizer(image_type) -> bool:
    """ImageType's third value (or a later one) is LOCALIZER: a CT scout or topogram
    (``ORIGINAL\\PRIMARY\\LOCALIZER``, Siemens ``...\\LOCALIZER\\CT_SOM5 TOP``), an MR localizer."""
    return "LOCALIZER" in _values(image_type)[2:]


_XA_SOFTWARE = re.compile(r"XA\d\d")


def xa_volume_numbers(software) -> bool:
    """Siemens XA software (SoftwareVersions 'syngo MR XA30A'), which may store each volume of a
    run under its own SeriesNumber, 16001, 16002... (dcm2niix's issue 236): dcm2niix makes one
    series of a SeriesInstanceUID's numbers past 1000 with the same thousands, on this software
    only (tried: 'XA10A', 'XA11A', 'XA20A', 'syngo MR XA30A' merge; 'VE11C', 'XA', 'xa10a',
    'foo XA1' do not)."""
    values = [software] if isinstance(software, str) else list(software or [])
    return any(_XA_SOFTWARE.search(str(value)) for value in values)


def datetime_number(value) -> Optional[float]:
    """A DICOM DT or TM value as a sortable number (YYYYMMDDHHMMSS.ffffff), or ``None``."""
    text = str(value or "").strip().split("+")[0].split("-")[0]
    try:
        return float(text) if text else None
    except ValueError:
        return None


def study_text(description, date) -> str:
    """``"Brain 2003-05-05"``: StudyDescription and StudyDate, what tells two studies apart in a
    listing (empty when the file has neither)."""
    day = str(date or "").strip()
    if len(day) == 8 and day.isdigit():
        day = f"{day[:4]}-{day[4:6]}-{day[6:]}"
    return " ".join(part for part in (str(description or "").strip(), day) if part)


def time_text(value) -> str:
    """A DICOM TM (or the time of a DT) as ``HH:MM:SS``; empty when absent or unreadable."""
    text = str(value or "").strip()
    if len(text) >= 14 and text[:14].isdigit():  # DT: YYYYMMDDHHMMSS...
        text = text[8:]
    digits = text.split(".")[0].replace(":", "")
    if len(digits) < 4 or not digits[:6].isdigit():
        return ""
    return ":".join(digits[i:i + 2] for i in range(0, min(len(digits), 6), 2))


def is_mosaic(ds) -> bool:
    """A Siemens MOSAIC image with its CSA image header (needed to unpack the tiles)."""
    image_type = ds.get("ImageType") or []
    if isinstance(image_type, str):
        image_type = [image_type]
    return "MOSAIC" in [str(v).upper() for v in image_type] and (0x0029, 0x1010) in ds


UIH_GRID_SLICES = 0x00651050  # DS: slices in the volume ("Image Private Header" block)
UIH_GRID_FRAMES = 0x00651051  # SQ "MRVFrameSequence": one item per slice, with its position


def uih_grid_slices(ds) -> int:
    """Slices of a UIH (United Imaging) grid mosaic, else 0.

    UIH stores EPI/DWI volumes as one image of tiles ("VFRAME") whose geometry is only in
    private tags (the layout GDCM's SplitUihGridFilter and dcm2niix read): (0065,1050) the number
    of slices and (0065,1051) a sequence with each slice's ImagePositionPatient.
    """
    if UIH_GRID_SLICES not in ds.keys() or not str(ds.get("Manufacturer") or "").upper().startswith(
            ("UIH", "UNITED IMAGING")):
        return 0
    element = ds.get(UIH_GRID_SLICES)
    value = getattr(element, "value", None)
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace").strip("\x00 ")
    count = as_int(as_float(first_value(value)), 0)
    return count if count > 1 and private_item(ds, UIH_GRID_FRAMES) is not None else 0


def _read_position(item):
    return as_floats(item.get("ImagePositionPatient"), 3)


def _read_orientation(item):
    return as_floats(item.get("ImageOrientationPatient"), 6)


def _read_measures(item):
    return as_floats(item.get("PixelSpacing"), 2), as_float(item.get("SliceThickness"))


def _read_rescale(item):
    return as_float(item.get("RescaleSlope")), as_float(item.get("RescaleIntercept"))


def _read_content(item):
    # only these two values: templates.py reads a run's frame times without this item
    return (as_int(item.get("TemporalPositionIndex")),
            datetime_number(item.get("FrameAcquisitionDateTime")))


def _read_echo_time(item):
    return as_float(item.get("EffectiveEchoTime"))


def _read_kind(item):
    """(component, derived) of a frame type item, or None without FrameType."""
    frame_type = item.get("FrameType")
    if frame_type is None:
        return None
    return image_kind(frame_type, item.get("ComplexImageComponent"))


def _read_isotropic(item) -> bool:
    """A frame's diffusion item says isotropic with b > 0 (a trace volume)."""
    b_value = as_float(item.get("DiffusionBValue"), 0.0)
    return bool(b_value and b_value > 0) and \
        str(item.get("DiffusionDirectionality") or "").upper() == "ISOTROPIC"


GROUP_READERS = (
    ("PlanePositionSequence", _read_position), ("PlaneOrientationSequence", _read_orientation),
    ("PixelMeasuresSequence", _read_measures), ("PixelValueTransformationSequence", _read_rescale),
    ("FrameContentSequence", _read_content), ("MREchoSequence", _read_echo_time),
    ("MRImageFrameTypeSequence", _read_kind), ("CTImageFrameTypeSequence", _read_kind),
    ("MRDiffusionSequence", _read_isotropic),
)


PHILIPS_SCALE_SLOPE = 0x2005100E
PHILIPS_PRIVATE_FRAME_SEQUENCE = 0x2005140F


PHILIPS_B_VALUE, PHILIPS_DIFFUSION_DIRECTION = 0x20011003, 0x20011004
GE_IMAGE_TYPE = 0x0043102F
"""GE's private image type (GEMS_PARM_01, SS): 0 magnitude, 1 phase, 2 real, 3 imaginary."""
_GE_COMPONENTS = {1: "ph", 2: "real", 3: "imaginary"}


def ge_component(ds) -> str:
    """The complex component a GE image names only in (0043,102F), as dcm2niix reads it: GE
    writes ImageType ORIGINAL\\PRIMARY\\OTHER on magnitude and phase images alike."""
    value = getattr(ds.get(GE_IMAGE_TYPE), "value", None)
    if isinstance(value, bytes):  # implicit VR without pydicom's private dictionary
        value = struct.unpack("<h", value[:2])[0] if len(value) >= 2 else None
    return _GE_COMPONENTS.get(as_int(first_value(value)), "")


def philips_isotropic(ds, get) -> bool:
    """A Philips diffusion image with b > 0 and no direction: the isotropic (trace) volume the
    scanner appends to a DWI series (direction 'I' in (2001,1004), or DiffusionDirectionality
    ISOTROPIC). dcm2niix writes the series without it and again with it as ``_ADC``."""
    direction = getattr(ds.get(PHILIPS_DIFFUSION_DIRECTION), "value", None)
    if isinstance(direction, bytes):
        direction = direction.decode("ascii", "replace")
    direction = str(direction or "").strip("\x00 ").upper()
    b_value = private_float(ds, PHILIPS_B_VALUE) or as_float(get("DiffusionBValue"), 0.0)
    return bool(b_value and b_value > 0) and (
        direction == "I" or str(get("DiffusionDirectionality") or "").upper() == "ISOTROPIC")


def private_item(container, tag: int):
    element = container.get(tag)
    value = getattr(element, "value", None)
    if value is None or isinstance(value, (bytes, bytearray, str)):
        return None  # not a sequence (an unknown private element left as bytes)
    try:
        return value[0] if len(value) else None
    except (TypeError, IndexError):
        return None


def private_float(container, tag: int) -> Optional[float]:
    """A private FL value (bytes when the file is implicit VR: read as little-endian float)."""
    element = container.get(tag)
    value = getattr(element, "value", None)
    if isinstance(value, bytes):
        value = struct.unpack("<f", value[:4])[0] if len(value) >= 4 else None
    value = as_float(first_value(value))
    return value if value and value == value else None  # zero and NaN mean "none"


def rescale(ref: FrameRef, choice: str) -> tuple[float, float]:
    """(slope, intercept) from stored values for a Philips scale choice (dcm2niix's formula).

    ``display``: RescaleSlope/Intercept (RS, RI); ``float``: the precise value
    (stored * RS + RI) / (RS * SS) with SS the private scale slope (2005,100E), as dcm2niix writes
    by default (PMC3998685); ``stored``: the raw pixel values.
    """
    rs, ri = ref.stored_slope, ref.stored_intercept
    if choice == "stored":
        return 1.0, 0.0
    if choice == "float" and ref.philips_scale and rs:
        return 1.0 / ref.philips_scale, ri / (rs * ref.philips_scale)
    return rs, ri
