"""Read DICOM headers once into one :class:`FrameRef` per image frame (:mod:`.headers` reads
many files at a time).

Each file is read by neuroview's own header reader (:mod:`.quick_read`) where it applies, else by
``pydicom.dcmread(defer_size=...)``; either way the pixel data stays on disk. A frame keeps the
values the grouping needs and, for uncompressed little-endian pixels, where they lie in the file
(``pixel_layout``): the loader (:mod:`.load`) reads those straight into the volume. A pydicom
dataset stays with the frames in the process that parsed it; otherwise the file is parsed by
pydicom only if its dataset is needed (compressed pixels, a mosaic's private tags).
"""

from __future__ import annotations

import os
import struct
from typing import Optional

import numpy as np

from ...core.errors import CorruptFileError, LoadError, NoImageFoundError, UnsupportedFormatError
from ..compressed import check_deflated_dicom
from .codecs import ensure_pydicom
from .quick_read import EXPLICIT_LE, IMPLICIT_LE, QuickDataset, quick_read
from .refs import DEFER_SIZE, FileScan, FrameRef, Header

__all__ = ["FileScan", "FrameRef", "read_file", "frames_of_dataset", "header_value"]

PIXEL_DATA_TAGS = (0x7FE00010, 0x7FE00008, 0x7FE00009)  # PixelData, FloatPixelData, DoubleFloat

NON_IMAGE_MODALITIES = {
    "SR": "structured report", "PR": "presentation state", "KO": "key object selection",
    "SEG": "segmentation (open it as a mask)", "RTSTRUCT": "RT structure set",
    "RTPLAN": "RT plan", "RTRECORD": "RT treatment record", "REG": "registration",
    "DOC": "encapsulated document", "ECG": "waveform", "AU": "audio",
}
DICOMDIR_SOP_CLASS = "1.2.840.10008.1.3.10"


def _float(value, default=None):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _floats(value, n):
    try:
        out = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return out if len(out) == n else None


def _first(value):
    """The first value of a multi-valued element (or the value itself)."""
    if value is None or isinstance(value, (str, bytes, int, float)):
        return value
    try:
        return value[0] if len(value) else None
    except TypeError:
        return value


def _int(value, default=None):
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
    raw = ds._dict.get(tag) if tag is not None else None
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
    if container is None or tag not in container._dict:
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


class _FrameFields:
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
        self.per_frame_tags = set().union(*(getattr(item, "_dict", {}).keys()
                                            for item in self.per_frame or ()))

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


def _datetime_number(value) -> Optional[float]:
    """A DICOM DT or TM value as a sortable number (YYYYMMDDHHMMSS.ffffff), or ``None``."""
    text = str(value or "").strip().split("+")[0].split("-")[0]
    try:
        return float(text) if text else None
    except ValueError:
        return None


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
    if UIH_GRID_SLICES not in ds._dict or not str(ds.get("Manufacturer") or "").upper().startswith(
            ("UIH", "UNITED IMAGING")):
        return 0
    element = ds.get(UIH_GRID_SLICES)
    value = getattr(element, "value", None)
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace").strip("\x00 ")
    count = _int(_float(_first(value)), 0)
    return count if count > 1 and _private_item(ds, UIH_GRID_FRAMES) is not None else 0


def _looks_like_headerless_dicom(head: bytes) -> bool:
    """Old ACR-NEMA style files without the 128-byte preamble start with a group 0008 tag."""
    return len(head) >= 8 and head[:2] in (b"\x08\x00", b"\x02\x00") and head[2:4] < b"\x00\x10"


def _pixel_element_truncated(ds, size: int) -> bool:
    """True when a deferred (native) pixel data element runs past the end of the file."""
    for tag in PIXEL_DATA_TAGS:
        raw = ds._dict.get(tag)  # the raw element: reading ds[tag] would load the pixels
        if raw is None:
            continue
        length = getattr(raw, "length", 0)
        tell = getattr(raw, "value_tell", None)
        if tell is not None and length not in (0, 0xFFFFFFFF) and tell + length > size:
            return True
    return False


def _frames_past_pixel_data(ds, n_frames: int, rows: int, cols: int, samples: int, bits: int,
                            size: int) -> str:
    """Why the declared frames cannot be in the file (checked before one frame reference is
    made: a 1 kB file declaring 2^31 frames must not cost minutes and gigabytes), or ''."""
    for tag in PIXEL_DATA_TAGS:
        raw = ds._dict.get(tag)
        if raw is None:
            continue
        length = getattr(raw, "length", None)
        if length is None:
            value = getattr(raw, "value", None)
            length = len(value) if isinstance(value, (bytes, bytearray)) else None
        if length in (None, 0xFFFFFFFF):  # encapsulated: every frame takes at least one byte
            needed, held = n_frames, size
        else:
            needed = (rows * cols * max(1, samples) * max(1, bits) * n_frames + 7) // 8
            held = length
        if needed > held:
            return (f"DICOM header declares {n_frames} frame(s) of {rows}x{cols} but the pixel "
                    f"data holds {held} bytes (truncated or lying header)")
    return ""


def read_file(path: str, cache: Optional[dict] = None) -> FileScan:
    """Parse one file into frame references, or say why it holds no image: with neuroview's
    own header reader where it applies (:mod:`.quick_read`), else with pydicom."""
    quick = quick_read(path)
    if quick is not None:
        try:
            return frames_of_dataset(quick, path, os.path.getsize(path), cache)
        except Exception:  # noqa: BLE001 - anything unexpected: pydicom reads the file
            pass
    return read_with_pydicom(path, cache)


def read_with_pydicom(path: str, cache: Optional[dict] = None) -> FileScan:
    """:func:`read_file` by pydicom alone."""
    ensure_pydicom()
    import pydicom
    from pydicom.errors import InvalidDicomError

    try:
        size = os.path.getsize(path)
        if size == 0:
            return FileScan(error=CorruptFileError("file is empty (0 bytes)", path=path))
        try:
            # pydicom inflates a deflated dataset whole (checked against a bound first) and
            # reads it from memory: nothing can be left on disk at a file offset
            deflated = check_deflated_dicom(path)
            ds = pydicom.dcmread(path, defer_size=None if deflated else DEFER_SIZE)
        except LoadError as exc:
            return FileScan(error=exc)
        except InvalidDicomError:
            with open(path, "rb") as handle:
                head = handle.read(8)
            if not _looks_like_headerless_dicom(head):
                return FileScan(note=f"{path}: not a DICOM file")
            ds = pydicom.dcmread(path, defer_size=DEFER_SIZE, force=True)
    except (EOFError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            NotImplementedError, UnicodeError, OverflowError, struct.error,
            RecursionError) as exc:
        # pydicom raises a zoo of exceptions on damaged files; all mean "cannot parse".
        if isinstance(exc, EOFError):
            return FileScan(error=CorruptFileError("DICOM file is truncated", path=path))
        text = (str(exc).strip().splitlines() or [""])[0][:160]
        return FileScan(error=CorruptFileError(
            f"DICOM file is damaged ({type(exc).__name__}{': ' + text if text else ''})", path=path))
    if len(ds._dict) == 0:
        return FileScan(error=CorruptFileError(
            "DICOM file holds no readable data elements (truncated or damaged)", path=path))
    meta = getattr(ds, "file_meta", None)
    sop_class = str(header_value(ds, "SOPClassUID", cache)
                    or (meta.get("MediaStorageSOPClassUID", "") if meta else ""))
    if sop_class == DICOMDIR_SOP_CLASS or "DirectoryRecordSequence" in ds:
        from .dicomdir import referenced_files

        try:
            files, refused = referenced_files(ds, path)
        except CorruptFileError as exc:
            return FileScan(error=exc)
        note = (f"{path}: {len(refused)} file(s) listed outside the DICOMDIR's folder or not "
                f"regular files were not read (e.g. {refused[0]})") if refused else ""
        return FileScan(dicomdir_files=files, note=note)
    return frames_of_dataset(ds, path, size, cache)


def _or(value, default):
    return default if value is None else value


def _read_position(item):
    return _floats(item.get("ImagePositionPatient"), 3)


def _read_orientation(item):
    return _floats(item.get("ImageOrientationPatient"), 6)


def _read_measures(item):
    return _floats(item.get("PixelSpacing"), 2), _float(item.get("SliceThickness"))


def _read_rescale(item):
    return _float(item.get("RescaleSlope")), _float(item.get("RescaleIntercept"))


def _read_content(item):
    return (_int(item.get("TemporalPositionIndex")),
            _datetime_number(item.get("FrameAcquisitionDateTime")))


def _read_echo_time(item):
    return _float(item.get("EffectiveEchoTime"))


def _read_kind(item):
    """(component, derived) of a frame type item, or None without FrameType."""
    frame_type = item.get("FrameType")
    if frame_type is None:
        return None
    return image_kind(frame_type, item.get("ComplexImageComponent"))


def _read_isotropic(item) -> bool:
    """A frame's diffusion item says isotropic with b > 0 (a trace volume)."""
    b_value = _float(item.get("DiffusionBValue"), 0.0)
    return bool(b_value and b_value > 0) and \
        str(item.get("DiffusionDirectionality") or "").upper() == "ISOTROPIC"


_GROUP_READERS = (
    ("PlanePositionSequence", _read_position), ("PlaneOrientationSequence", _read_orientation),
    ("PixelMeasuresSequence", _read_measures), ("PixelValueTransformationSequence", _read_rescale),
    ("FrameContentSequence", _read_content), ("MREchoSequence", _read_echo_time),
    ("MRImageFrameTypeSequence", _read_kind), ("CTImageFrameTypeSequence", _read_kind),
    ("MRDiffusionSequence", _read_isotropic),
)


def frames_of_dataset(ds, path: str, size: int, cache: Optional[dict] = None) -> FileScan:
    """The frames of a parsed file; ``cache`` (a dict shared by one scan) speeds up values."""
    def get(keyword):
        return header_value(ds, keyword, cache)

    modality = str(get("Modality") or "")
    if modality in NON_IMAGE_MODALITIES:
        return FileScan(note=f"{path}: skipped, {modality} {NON_IMAGE_MODALITIES[modality]} "
                             "is not an image")
    if not any(tag in ds._dict for tag in PIXEL_DATA_TAGS):
        if "Rows" in ds:  # an image header whose pixels are missing: broken, not a report
            return FileScan(error=CorruptFileError(
                "DICOM image has no pixel data (truncated or stripped file)", path=path))
        kind = getattr(get("SOPClassUID"), "name", "") or "object"
        return FileScan(note=f"{path}: skipped, DICOM {kind} holds no image (no pixel data)")
    rows, cols = _int(get("Rows"), 0), _int(get("Columns"), 0)
    if rows <= 0 or cols <= 0:
        return FileScan(error=CorruptFileError("DICOM image has no Rows/Columns", path=path))
    syntax = _syntax(ds)
    if not syntax.is_deflated and _pixel_element_truncated(ds, size):
        return FileScan(error=CorruptFileError("DICOM file is truncated (pixel data ends past the "
                                               "end of the file)", path=path))
    n_frames = max(1, _int(get("NumberOfFrames"), 1))
    lie = _frames_past_pixel_data(ds, n_frames, rows, cols, _int(get("SamplesPerPixel"), 1),
                                  _int(get("BitsAllocated"), 16), size)
    if lie:
        return FileScan(error=CorruptFileError(lie, path=path))
    groups = _FrameFields(ds, path)
    base = dict(
        header=Header(path, None if isinstance(ds, QuickDataset) else ds, syntax.is_deflated),
        path=path, transfer_syntax=str(syntax),
        compressed=bool(syntax.is_compressed),
        pixel_layout=_pixel_layout(ds, get, syntax, rows, cols, n_frames),
        series_uid=str(get("SeriesInstanceUID") or f"file:{path}"),
        series_number=_int(get("SeriesNumber")),
        description=str(get("SeriesDescription") or get("ProtocolName") or ""),
        modality=modality, rows=rows, cols=cols, samples=_int(get("SamplesPerPixel"), 1),
        n_frames_in_file=n_frames, mosaic=is_mosaic(ds) or uih_grid_slices(ds) > 1,
    )
    top_position = _floats(get("ImagePositionPatient"), 3)
    top_orientation = _floats(get("ImageOrientationPatient"), 6)
    top_spacing = (_floats(get("PixelSpacing"), 2) or _floats(get("ImagerPixelSpacing"), 2))
    top_thickness = _float(get("SliceThickness"))
    top_slope, top_intercept = _float(get("RescaleSlope"), 1.0), _float(get("RescaleIntercept"),
                                                                          0.0)
    philips = "PHILIPS" in str(get("Manufacturer") or "").upper()
    top_scale = _private_float(ds, PHILIPS_SCALE_SLOPE) if philips else None
    instance = _int(get("InstanceNumber"), 0)
    top_temporal = _int(get("TemporalPositionIdentifier"), 0)
    top_time = (_datetime_number(get("AcquisitionDateTime"))
                or _float(get("AcquisitionTime") or get("ContentTime"), 0.0))
    top_echo_time = _float(get("EchoTime"))
    top_kind = image_kind(get("ImageType"), get("ComplexImageComponent"))
    if philips and not top_kind[1] and philips_isotropic(ds, get):
        top_kind = (top_kind[0], "ADC")  # dcm2niix's '_ADC': a trace volume in a DWI series
    echo_number = _int(_first(get("EchoNumbers")), 0)
    base["slice_gap"] = _float(get("SpacingBetweenSlices"))
    frames = []
    enhanced = groups.shared is not None or groups.per_frame is not None
    columns = {name: groups.column(name, read, n_frames) for name, read in _GROUP_READERS} \
        if enhanced else {}
    for index in range(n_frames):
        position, orientation, spacing = top_position, top_orientation, top_spacing
        thickness, slope, intercept = top_thickness, top_slope, top_intercept
        temporal, time, echo_time, kind = top_temporal, top_time, top_echo_time, top_kind
        if enhanced:
            position = columns["PlanePositionSequence"][index] or position
            orientation = columns["PlaneOrientationSequence"][index] or orientation
            measures = columns["PixelMeasuresSequence"][index]
            if measures is not None:
                spacing = measures[0] or spacing
                thickness = _or(measures[1], thickness)
            value = columns["PixelValueTransformationSequence"][index]
            if value is not None:
                slope, intercept = _or(value[0], slope), _or(value[1], intercept)
            content = columns["FrameContentSequence"][index]
            if content is not None:
                temporal, time = _or(content[0], temporal), content[1] or time
            echo_time = _or(columns["MREchoSequence"][index], echo_time)
            kind = (columns["MRImageFrameTypeSequence"][index]
                    or columns["CTImageFrameTypeSequence"][index] or kind)
            if philips and not kind[1] and columns["MRDiffusionSequence"][index]:
                kind = (kind[0], "ADC")  # a Philips trace frame in an enhanced DWI (as above)
        scale = top_scale
        if philips and groups.per_frame is not None and index < len(groups.per_frame):
            private = _private_item(groups.per_frame[index], PHILIPS_PRIVATE_FRAME_SEQUENCE)
            if private is not None:
                scale = _private_float(private, PHILIPS_SCALE_SLOPE) or scale
        if n_frames > 1 and position == top_position and groups.per_frame is None:
            # Classic multi-frame without per-frame positions (cine, NM, RT dose grids).
            offsets = get("GridFrameOffsetVector")
            if position is not None and orientation is not None and offsets is not None:
                position = _offset_position(position, orientation, _float(offsets[index], 0.0))
        frames.append(FrameRef(
            **base, frame=index if n_frames > 1 else None, position=position,
            orientation=orientation, pixel_spacing=spacing or (1.0, 1.0),
            slice_thickness=thickness, slope=slope or 1.0, intercept=intercept or 0.0,
            order=(temporal, time, instance, index), echo_number=echo_number,
            echo_time=echo_time, component=kind[0], derived=kind[1],
            philips_scale=scale or None, stored_slope=slope or 1.0,
            stored_intercept=intercept or 0.0,
        ))
    return FileScan(frames=frames)


PHILIPS_SCALE_SLOPE = 0x2005100E
PHILIPS_PRIVATE_FRAME_SEQUENCE = 0x2005140F


PHILIPS_B_VALUE, PHILIPS_DIFFUSION_DIRECTION = 0x20011003, 0x20011004


def philips_isotropic(ds, get) -> bool:
    """A Philips diffusion image with b > 0 and no direction: the isotropic (trace) volume the
    scanner appends to a DWI series (direction 'I' in (2001,1004), or DiffusionDirectionality
    ISOTROPIC). dcm2niix writes the series without it and again with it as ``_ADC``."""
    direction = getattr(ds.get(PHILIPS_DIFFUSION_DIRECTION), "value", None)
    if isinstance(direction, bytes):
        direction = direction.decode("ascii", "replace")
    direction = str(direction or "").strip("\x00 ").upper()
    b_value = _private_float(ds, PHILIPS_B_VALUE) or _float(get("DiffusionBValue"), 0.0)
    return bool(b_value and b_value > 0) and (
        direction == "I" or str(get("DiffusionDirectionality") or "").upper() == "ISOTROPIC")


def _syntax(ds):
    if isinstance(ds, QuickDataset):
        return ds.transfer_syntax
    from pydicom.uid import UID, ImplicitVRLittleEndian

    meta = getattr(ds, "file_meta", None)
    return UID((meta.get("TransferSyntaxUID") if meta is not None else None)
               or ImplicitVRLittleEndian)


def _pixel_layout(ds, get, syntax, rows, cols, n_frames) -> Optional[tuple[str, int]]:
    """(dtype, file offset of frame 0) of uncompressed little-endian grey pixels whose bits
    fill their bytes, else ``None`` (colour, big endian, deflated, packed bits: pydicom)."""
    if syntax not in (EXPLICIT_LE, IMPLICIT_LE):
        return None  # a deflated file's offsets are in the inflated stream, not the file
    element = ds._dict.get(0x7FE00010)
    offset = getattr(element, "value_tell", None)
    bits, stored = _int(get("BitsAllocated")), _int(get("BitsStored"))
    if offset is None or _int(get("SamplesPerPixel"), 1) != 1 or bits not in (8, 16, 32) \
            or (stored is not None and stored != bits):
        return None
    dtype = np.dtype(f"<{'i' if _int(get('PixelRepresentation'), 0) == 1 else 'u'}{bits // 8}")
    if getattr(element, "length", 0) < n_frames * rows * cols * dtype.itemsize:
        return None  # short: let pydicom raise its precise error
    return dtype.str, offset


def _private_item(container, tag: int):
    element = container.get(tag)
    value = getattr(element, "value", None)
    if value is None or isinstance(value, (bytes, bytearray, str)):
        return None  # not a sequence (an unknown private element left as bytes)
    try:
        return value[0] if len(value) else None
    except (TypeError, IndexError):
        return None


def _private_float(container, tag: int) -> Optional[float]:
    """A private FL value (bytes when the file is implicit VR: read as little-endian float)."""
    element = container.get(tag)
    value = getattr(element, "value", None)
    if isinstance(value, bytes):
        value = struct.unpack("<f", value[:4])[0] if len(value) >= 4 else None
    value = _float(_first(value))
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


def _offset_position(position, orientation, offset):
    import numpy as np

    normal = np.cross(orientation[:3], orientation[3:])
    return tuple(float(x) for x in np.asarray(position) + offset * normal)


def single_file_error(path: str, scan: FileScan) -> Exception:
    """The error for a file the user named on its own that holds no loadable image."""
    if scan.error is not None:
        return scan.error
    if "not a DICOM file" in scan.note:
        return UnsupportedFormatError("not a DICOM, NIfTI, MGH or NRRD file", path=path)
    reason = scan.note.split(": ", 1)[-1] if scan.note else "no image in this file"
    return NoImageFoundError(reason, path=path)
