"""The frame references (:class:`FrameRef`) of one parsed DICOM file, whichever reader parsed it
(:mod:`.scan`: a template's differences, neuroview's own header reader, or pydicom): its image
checks (a non-image object, no pixels, a lying frame count, an unknown transfer syntax), the values
the grouping needs per frame (enhanced functional groups, classic multi-frame offsets, vendor
fields), and where uncompressed little-endian pixels lie in the file (``pixel_layout``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

import numpy as np

from ...core.errors import CorruptFileError, UnsupportedFormatError, printable, shown_uid
from ...core.plural import plural
from .captures import SECONDARY_CAPTURE
from .corrections import correction_words
from .elements import element_map
from .fields import (
    as_float,
    as_floats,
    as_int,
    datetime_number,
    description_text,
    first_value,
    header_value,
    image_kind,
    is_localizer,
    is_mosaic,
    kernel_text,
    mosaic_without_header,
    patient_key,
    study_text,
    time_text,
    xa_volume_numbers,
)
from .frame_copies import frame_like, grid_offsets, moved_copies, offset_position
from .frame_fields import FrameFields, read_real_world
from .photometric import shown_inverted
from .quick_dataset import EXPLICIT_LE, IMPLICIT_LE, QuickDataset
from .refs import FileScan, FrameRef, Header
from .vendor_fields import (
    ISOTROPIC,
    PHILIPS_PRIVATE_FRAME_SEQUENCE,
    PHILIPS_SCALE_SLOPE,
    ge_component,
    philips_isotropic,
    private_float,
    private_item,
    real_world_rescale,
    uih_grid_slices,
)

PIXEL_DATA_TAGS = (0x7FE00010, 0x7FE00008, 0x7FE00009)  # PixelData, FloatPixelData, DoubleFloat

NON_IMAGE_MODALITIES = {
    "SR": "structured report", "PR": "presentation state", "KO": "key object selection",
    "SEG": "segmentation (open it as a mask)", "RTSTRUCT": "RT structure set",
    "RTPLAN": "RT plan", "RTRECORD": "RT treatment record", "REG": "registration",
    "DOC": "encapsulated document", "ECG": "waveform", "AU": "audio",
}

def _pixel_element_truncated(ds, size: int) -> bool:
    """True when a deferred (native) pixel data element runs past the end of the file."""
    for tag in PIXEL_DATA_TAGS:
        raw = element_map(ds).get(tag)  # the raw element: reading ds[tag] would load the pixels
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
        raw = element_map(ds).get(tag)
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
            if needed > held and samples == 3 and ds.get("PhotometricInterpretation") == "YBR_FULL_422":
                needed = needed * 2 // 3  # uncompressed 4:2:2: Y per pixel, Cb and Cr per pair
        if needed > held:
            return (f"DICOM header declares {plural(n_frames, 'frame')} of {rows}x{cols} but the pixel "
                    f"data holds {held} bytes (truncated or lying header)")
        if length not in (None, 0xFFFFFFFF) and held >= 2 * needed > 0 and held - needed > 1:
            # pydicom drops the rest as "excess padding": a 16-bit image said to be 8-bit showed
            # as stripes of its low and high bytes, a frame count too low lost frames unsaid
            return (f"DICOM header declares {plural(n_frames, 'frame')} of {rows}x{cols} at "
                    f"{max(1, bits)} bits ({needed} bytes) but the pixel data holds {held} bytes "
                    "(BitsAllocated or the frame count is wrong: a lying header)")
    return ""


def _size_problem(keyword: str, value) -> str:
    """What is wrong with the image's ``Rows`` or ``Columns`` value, or '' (a count of pixels).
    A US element of 6 bytes reads as three numbers: it was said to be missing."""
    if value is None or value == "":
        return f"DICOM image has no {keyword}"
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):   # pydicom's MultiValue
        shown = "\\".join(str(v) for v in list(value)[:4]) + ("\\..." if len(value) > 4 else "")
        return (f"DICOM {keyword} holds {len(value)} values ({shown}) where one number of pixels "
                "belongs (damaged header)")
    if as_int(value, 0) <= 0:
        return f"DICOM {keyword} is {str(value)[:24]}, not a number of pixels (damaged header)"
    return ""


def _native_frames_held(ds, rows: int, cols: int, samples: int, bits: int) -> int:
    """How many whole frames of ``rows`` x ``cols`` the uncompressed pixel data holds (0 when its
    length is unknown)."""
    frame = (rows * cols * max(1, samples) * max(1, bits) + 7) // 8
    for tag in PIXEL_DATA_TAGS:
        raw = element_map(ds).get(tag)
        length = getattr(raw, "length", None)
        if length is None:
            value = getattr(raw, "value", None)
            length = len(value) if isinstance(value, (bytes, bytearray)) else None
        if raw is not None and length not in (None, 0xFFFFFFFF):
            return length // frame
    return 0


def frames_of_dataset(ds, path: str, size: int, cache: Optional[dict] = None,
                      groups: Optional[FrameFields] = None,
                      stamp: Optional[tuple] = None) -> FileScan:
    """The frames of a parsed file; ``cache`` (a dict shared by one scan) speeds up values;
    ``groups``: its functional groups as read before (:mod:`.templates`); ``stamp``: the file's
    identity as read (:func:`.changed.identity`)."""
    if isinstance(ds, QuickDataset):  # its values are converted once (header_value)
        get = ds.get
    else:
        def get(keyword):
            return header_value(ds, keyword, cache)

    modality = str(get("Modality") or "")
    if modality in NON_IMAGE_MODALITIES:
        return FileScan(note=f"{path}: skipped, {modality} {NON_IMAGE_MODALITIES[modality]} "
                             "is not an image")
    if not any(tag in ds.keys() for tag in PIXEL_DATA_TAGS):
        if "Rows" in ds:  # an image header whose pixels are missing: broken, not a report
            return FileScan(error=CorruptFileError(
                "DICOM image has no pixel data (truncated or stripped file)", path=path))
        kind = getattr(get("SOPClassUID"), "name", "") or "object"
        if kind.endswith("Image Storage") and _syntax(ds).is_deflated:
            # deflate has no checksum: a flipped bit inflates to other elements, without pixels
            return FileScan(error=CorruptFileError(
                f"DICOM file is damaged: its deflated dataset holds no pixel data, though its class "
                f"({kind}) is an image's (a damaged deflate stream)", path=path))
        if kind.endswith("Image Storage"):  # an image's class: a file cut short in its header
            return FileScan(error=CorruptFileError(
                f"DICOM {kind} file has no pixel data (truncated or stripped file)", path=path))
        return FileScan(note=f"{path}: skipped, DICOM {kind} holds no image (no pixel data)")
    rows, cols = as_int(get("Rows"), 0), as_int(get("Columns"), 0)
    if rows <= 0 or cols <= 0:
        problem = _size_problem("Rows", get("Rows")) or _size_problem("Columns", get("Columns"))
        return FileScan(error=CorruptFileError(problem, path=path))
    syntax = _syntax(ds)
    if not syntax.is_transfer_syntax:  # a damaged header, or a vendor's private syntax
        return FileScan(error=UnsupportedFormatError(
            f"DICOM file declares transfer syntax ({shown_uid(syntax)}), which is not a known "
            "transfer syntax (damaged header or a private encoding)", path=path))
    if not syntax.is_deflated and _pixel_element_truncated(ds, size):
        return FileScan(error=CorruptFileError("DICOM file is truncated (pixel data ends past the "
                                               "end of the file)", path=path))
    n_frames = as_int(get("NumberOfFrames"), 1)
    if get("NumberOfFrames") not in (None, "") and as_int(get("NumberOfFrames")) is None:
        return FileScan(error=CorruptFileError(   # pydicom's decoder then failed on it
            f"DICOM NumberOfFrames is {printable(str(get('NumberOfFrames'))[:24])}, not a number "
            "of frames (damaged header)", path=path))
    if n_frames < 0:
        return FileScan(error=CorruptFileError(f"DICOM header declares {n_frames} frames", path=path))
    if n_frames == 0 and "NumberOfFrames" in ds and not syntax.is_compressed:
        held = _native_frames_held(ds, rows, cols, as_int(get("SamplesPerPixel"), 1),
                                   as_int(get("BitsAllocated"), 16))
        if held > 1:   # read as one frame, the others were dropped without a word
            return FileScan(error=CorruptFileError(
                f"DICOM header declares 0 frames but the pixel data holds {held} frames of "
                f"{rows}x{cols} (damaged header)", path=path))
    n_frames = max(1, n_frames)
    lie = _frames_past_pixel_data(ds, n_frames, rows, cols, as_int(get("SamplesPerPixel"), 1),
                                  as_int(get("BitsAllocated"), 16), size)
    if lie:
        return FileScan(error=CorruptFileError(lie, path=path))
    groups = groups or FrameFields(ds, path)
    base = dict(
        header=Header(path, None if isinstance(ds, QuickDataset) else ds, syntax.is_deflated, size,
                      stamp),
        path=path, transfer_syntax=str(syntax),
        compressed=bool(syntax.is_compressed),
        pixel_layout=_pixel_layout(ds, get, syntax, rows, cols, n_frames),
        series_uid=str(get("SeriesInstanceUID") or f"file:{path}"),
        sop_uid=str(get("SOPInstanceUID") or ""),
        localizer=is_localizer(get("ImageType")), kernel=kernel_text(get("ConvolutionKernel")),
        correction=correction_words(get("ImageType")),
        capture=str(get("SOPClassUID") or "") == SECONDARY_CAPTURE,
        tiles=mosaic_without_header(ds),
        series_number=as_int(get("SeriesNumber")),
        description=description_text(get("SeriesDescription") or get("ProtocolName")),
        modality=modality, rows=rows, cols=cols, samples=as_int(get("SamplesPerPixel"), 1),
        monochrome1=shown_inverted(get("PhotometricInterpretation"), get("PresentationLUTShape")),
        n_frames_in_file=n_frames, mosaic=is_mosaic(ds) or uih_grid_slices(ds) > 1,
        study=study_text(get("StudyDescription"), get("StudyDate")),
        patient=patient_key(get("PatientID"), get("PatientName")),
        time=time_text(get("AcquisitionDateTime") or get("AcquisitionTime")
                       or get("SeriesTime") or get("ContentTime")),
    )
    # only a number past 1000 can be one of XA's per-volume numbers: most files skip the text
    base["xa_volume_numbers"] = (base["series_number"] or 0) > 1000 and xa_volume_numbers(
        get("SoftwareVersions"))
    top_position = as_floats(get("ImagePositionPatient"), 3)
    top_orientation = as_floats(get("ImageOrientationPatient"), 6)
    top_spacing = (as_floats(get("PixelSpacing"), 2) or as_floats(get("ImagerPixelSpacing"), 2))
    top_thickness = as_float(get("SliceThickness"))
    top_slope, top_intercept = as_float(get("RescaleSlope"), 1.0), as_float(get("RescaleIntercept"),
                                                                          0.0)
    if modality == "RTDOSE" and get("RescaleSlope") is None:
        # an RT dose grid stores integers; DoseGridScaling turns them into dose (Gy, or relative
        # as DoseUnits says), as SlicerRT and pydicom's RT users read it (dcm2niix writes the integers)
        top_slope = as_float(get("DoseGridScaling"), 1.0) or 1.0
    manufacturer = str(get("Manufacturer") or "").upper()
    philips = "PHILIPS" in manufacturer
    top_scale = private_float(ds, PHILIPS_SCALE_SLOPE) if philips else None
    mappings = get("RealWorldValueMappingSequence") if philips else None
    top_real_world = read_real_world(mappings[0] if mappings else None)
    instance = as_int(get("InstanceNumber"), 0)
    # the volume of a classic 4D where anonymised times tie and instance numbers restart
    acquisition = as_int(get("AcquisitionNumber"), 0)
    top_temporal = as_int(get("TemporalPositionIdentifier"), 0)
    top_time = (datetime_number(get("AcquisitionDateTime"))
                or as_float(get("AcquisitionTime") or get("ContentTime"), 0.0))
    # what else may tell a classic 4D run's time points apart (.time_points): a cardiac phase's
    # TriggerTime, a ContentTime per image where the acquisition time is the series'
    more = (as_float(get("TriggerTime"), 0.0), datetime_number(get("ContentTime")) or 0.0)
    top_echo_time = as_float(get("EchoTime"))
    top_kind = image_kind(get("ImageType"), get("ComplexImageComponent"))
    if not top_kind[0] and manufacturer.startswith("GE"):
        top_kind = (ge_component(ds), top_kind[1])
    if philips and not top_kind[1] and philips_isotropic(ds, get):
        top_kind = (top_kind[0], ISOTROPIC)  # dcm2niix's '_ADC': a trace volume in a DWI series
    if base["capture"]:  # DERIVED\SECONDARY: kept apart as a capture, not as a derived kind
        top_kind = (top_kind[0], "")
    echo_number = as_int(first_value(get("EchoNumbers")), 0)
    base["slice_gap"] = as_float(get("SpacingBetweenSlices"))
    enhanced = groups.shared is not None or groups.per_frame is not None
    if enhanced:  # one list per functional group, a value per frame (None: not in the file)
        columns = groups.columns(n_frames)
        rows_of_values = zip(*(columns[name] for name in (
            "PlanePositionSequence", "PlaneOrientationSequence", "PixelMeasuresSequence",
            "PixelValueTransformationSequence", "FrameContentSequence", "MREchoSequence",
            "MRImageFrameTypeSequence", "CTImageFrameTypeSequence", "MRDiffusionSequence",
            "RealWorldValueMappingSequence", "CTReconstructionSequence")))
    else:
        rows_of_values = ((None,) * 11 for _ in range(n_frames))
    # frames that differ only in position and content (time, temporal index), as a run's
    # volume files hold them: frame 0 is made below, the others copied from it (moved_copies)
    alike = enhanced and not philips and groups.per_frame is not None and n_frames > 1 and all(
        columns[name].count(columns[name][0]) == n_frames for name in _SAME_IN_ALIKE_FRAMES)
    base["header"].alike = alike
    offsets, offsets_problem = grid_offsets(get("GridFrameOffsetVector"), n_frames) \
        if groups.per_frame is None and n_frames > 1 else (None, "")
    frames: list[FrameRef] = []
    top_kernel = base.pop("kernel")
    for index, (position, orientation, measures, transform, content, echo_time, mr_kind,
                ct_kind, diffusion, real_world, kernel) in enumerate(rows_of_values):
        position, orientation = position or top_position, orientation or top_orientation
        spacing, thickness = top_spacing, top_thickness
        if measures is not None:  # (a value of None: the default; 0 is a value)
            spacing = measures[0] or spacing
            thickness = thickness if measures[1] is None else measures[1]
        slope, intercept = top_slope, top_intercept
        if transform is not None:
            slope = slope if transform[0] is None else transform[0]
            intercept = intercept if transform[1] is None else transform[1]
        if philips:
            slope, intercept = real_world_rescale(real_world or top_real_world, slope, intercept)
        temporal, time = top_temporal, top_time
        if content is not None:
            temporal = temporal if content[0] is None else content[0]
            time = content[1] or time
        if echo_time is None:
            echo_time = top_echo_time
        kind = mr_kind or ct_kind or top_kind
        if philips and not kind[1] and diffusion:
            kind = (kind[0], ISOTROPIC)  # a Philips trace frame in an enhanced DWI (as above)
        scale = top_scale
        if philips and groups.per_frame is not None and index < len(groups.per_frame):
            private = private_item(groups.per_frame[index], PHILIPS_PRIVATE_FRAME_SEQUENCE)
            if private is not None:
                scale = private_float(private, PHILIPS_SCALE_SLOPE) or scale
        if groups.per_frame is None and n_frames > 1 and position == top_position:
            # Classic multi-frame without per-frame positions (cine, NM, RT dose grids).
            if position is not None and orientation is not None and offsets_problem:
                return FileScan(error=CorruptFileError(offsets_problem, path=path))
            if position is not None and orientation is not None and offsets is not None:
                position = offset_position(position, orientation, offsets[index])
        values = {
            "frame": index if n_frames > 1 else None, "position": position,
            "orientation": orientation, "pixel_spacing": spacing or (1.0, 1.0),
            "spacing_said": spacing is not None,
            "slice_thickness": thickness, "slope": slope or 1.0, "intercept": intercept or 0.0,
            "order": (temporal, time, acquisition, instance, *more, index), "echo_number": echo_number,
            "echo_time": echo_time, "component": kind[0], "derived": kind[1],
            "philips_scale": scale or None, "stored_slope": slope or 1.0,
            "stored_intercept": intercept or 0.0, "kernel": top_kernel if kernel is None else kernel,
        }
        frames.append(frame_like(frames[0], values) if frames else FrameRef(**base, **values))
        if alike:
            frames += moved_copies(frames[0], columns["PlanePositionSequence"],
                                    columns["FrameContentSequence"], top_position, top_temporal,
                                    top_time, (acquisition, instance, *more))
            break
    return FileScan(frames=frames)


_SAME_IN_ALIKE_FRAMES = ("PlaneOrientationSequence", "PixelMeasuresSequence",
                         "PixelValueTransformationSequence", "MREchoSequence",
                         "MRImageFrameTypeSequence", "CTImageFrameTypeSequence",
                         "MRDiffusionSequence", "CTReconstructionSequence")


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
    element = element_map(ds).get(0x7FE00010)
    offset = getattr(element, "value_tell", None)
    bits, stored = as_int(get("BitsAllocated")), as_int(get("BitsStored"))
    if offset is None or as_int(get("SamplesPerPixel"), 1) != 1 or bits not in (8, 16, 32) \
            or (stored is not None and stored != bits):
        return None
    dtype = np.dtype(f"<{'i' if as_int(get('PixelRepresentation'), 0) == 1 else 'u'}{bits // 8}")
    if getattr(element, "length", 0) < n_frames * rows * cols * dtype.itemsize:
        return None  # short: let pydicom raise its precise error
    return dtype.str, offset
