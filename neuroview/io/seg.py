"""Saving label maps: NIfTI on the image grid, and DICOM SEG (highdicom) referencing the source series.

``save_seg`` samples the label map at every pixel centre of every source slice, so each SEG frame
corresponds pixel for pixel with one source image, whatever order the DICOM loader gave the voxel
axes; it refuses a label map whose grid does not hold the source pixels (a resampled mask would
silently move voxels). ``load_seg`` reads a SEG back as a :class:`LabelMap` in RAS with the SEG's
segment names and recommended colours, optionally placed on the grid of an open volume, a frame at
a time (``seg_read``).

DICOM SEG numbers its segments 1..N. When the label values of a map are not contiguous, segment
``n`` is the ``n``-th label value in ascending order; ``save_seg`` returns that mapping. What a
SEG keeps of its source's headers is in ``seg_sources``; how its frames are made, a source frame
at a time and one byte a voxel (a model's brain overlapping the lesions included), in
``seg_frames``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import warnings
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .. import __version__
from ..core.atomic import atomic_path
from ..core.commit import describe, recover
from ..core.errors import (
    Cancelled,
    CorruptFileError,
    DicomError,
    GeometryError,
    LabelMapError,
    SaveError,
    private_reason,
)
from ..core.extent import encode_extent, inside, is_context
from ..core.file_lock import saving_lock
from ..core.geometry import LPS_TO_RAS, same_grid
from ..core.jobs import CancelToken, abandonable, check
from ..core.labels import LabelMap, Segment, SegmentTable, count_values, default_color, name_too_long
from ..core.stoppable import abandoned, stoppable
from .compressed import check_deflated_dicom
from .dicom.person_name import pn_value
from .nifti import save_nifti
from .seg_check import CUT_SHORT, check_seg_file, ends_before_pixels, seg_words
from .seg_class import SEG_SOP_CLASS_UID, read_segmentation
from .seg_context import codes_for, combined, is_brain_description
from .seg_frames import FrameGrid, sample_labels, whole_frames, write_overlapping
from .seg_made_by import algorithm_of, algorithm_type, proposing_equipment, provenance_from
from .seg_read import read_frames
from .seg_sources import build_failure, sources_for_seg
from .seg_values import check_seg_pixels
from .seg_work import read_work, write_work

logging.getLogger("highdicom").setLevel(logging.WARNING)
"""highdicom logs at INFO the SOP instance UIDs it copies from (identifiers: never in a log)."""

# -- NIfTI ------------------------------------------------------------------------------------
def save_label_nifti(label_map: LabelMap, path: str | os.PathLike, volume=None) -> Path:
    """Write ``label_map`` as an integer NIfTI; with ``volume``, refuse a map not on its grid."""
    if volume is not None:
        label_map.require_grid_of(volume, source=os.fspath(path))
    return save_nifti(label_map.array, label_map.ijk_to_ras, path)


# -- DICOM geometry ---------------------------------------------------------------------------
def read_series_headers(paths: Iterable[str | os.PathLike], series_uid: str | None = None,
                        time_point: int = 0) -> list:
    """pydicom headers (no pixel data) of the image files among ``paths`` (files or folders).

    With ``series_uid`` only that series is kept; otherwise every file must belong to one series.
    A file the loader leaves out (its scan finds no frame: truncated pixel data...) is left out
    here too, so the SEG refers to the images the label map was drawn on. Of a 4D run of
    single-frame files only those of ``time_point`` (0-based, as the loader orders them) are kept:
    a SEG of every time point's files, several at each position, could not be built.
    """
    import pydicom

    from .dicom.scan import read_file
    from .dicom.series import plan_stack

    files: list[str] = []
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                files.extend(os.path.join(root, n) for n in sorted(names) if not n.startswith("."))
        else:
            files.append(path)
    headers, refs = [], []
    for file in files:
        try:
            check_deflated_dicom(file)
            ds = pydicom.dcmread(file, stop_before_pixels=True)
        except Exception:  # not DICOM, unreadable, a deflate bomb: not part of the series
            continue
        if "ImagePositionPatient" not in ds and "PerFrameFunctionalGroupsSequence" not in ds:
            continue  # DICOMDIR, SR, SEG...: no image plane
        if series_uid is not None and str(ds.get("SeriesInstanceUID", "")) != series_uid:
            continue
        frames = read_file(file).frames
        if not frames:
            continue  # left out by the loader too (pixel data truncated...): not in the label map
        headers.append(ds)
        refs.extend(frames)
    uids = {str(ds.get("SeriesInstanceUID", "")) for ds in headers}
    if not headers:
        raise DicomError("no DICOM image of the series found", path=os.fspath(next(iter(files), "")))
    if len(uids) > 1:
        raise DicomError(f"{len(uids)} series found; give the SeriesInstanceUID of the source")
    stacks = plan_stack(uids.pop(), refs).frames if len(refs) == len(headers) > 1 else [[]]
    if len(stacks[0]) > 1:   # a 4D run, one slice per file: the files of one time point
        kept = {stack[min(time_point, len(stack) - 1)].path for stack in stacks}
        headers = [ds for ds, ref in zip(headers, refs) if ref.path in kept]
    return headers


# -- DICOM SEG --------------------------------------------------------------------------------
def _description(number: int, segment: Segment):
    import highdicom as hd
    from pydicom.sr.codedict import codes

    category, kind = codes_for(segment)
    made = algorithm_type(segment)
    algorithm = None
    if made != "MANUAL":
        name, version, parameters = algorithm_of(segment)
        algorithm = hd.AlgorithmIdentificationSequence(
            name=name, version=version, family=codes.cid7162.ArtificialIntelligence,
            parameters=parameters)
    return hd.seg.SegmentDescription(
        segment_number=number, segment_label=segment.name[:64] or f"Segment {number}",
        segmented_property_category=category, segmented_property_type=kind,
        algorithm_type=hd.seg.SegmentAlgorithmTypeValues[made], algorithm_identification=algorithm,
        display_color=hd.color.CIELabColor.from_rgb(*segment.color),
    )


def save_seg(label_map: LabelMap, sources: Sequence, path: str | os.PathLike, *,
             series_description: str = "neuroview segmentation", series_number: int = 900,
             content_creator: str | None = None, model: str = "", work=(),
             cancel: CancelToken | None = None) -> dict[int, int]:
    """Write ``label_map`` as a DICOM SEG referencing the source series ``sources``; ``model``
    (``NAME@VERSION``), the model that proposed it, is recorded as contributing equipment, and
    ``work``, the annotators' editing sessions behind it (``core.segment_work``), in a private
    block (``io.seg_work``), which :func:`load_seg` gives every segment back.

    ``cancel`` returns at once (``Cancelled``), and a file already at ``path`` is left as it was:
    the SEG is built and written to a temporary beside it on a thread of its own that the caller
    stops waiting for (``core.jobs.abandonable``; highdicom's build is one call of seconds), and
    renamed into place here, once it is whole and ``cancel`` was not set. The work left behind
    stops at once, also within highdicom's build and pydicom's write (``core.stoppable``: they
    ran on for seconds of the processor until session 45), and removes its temporary.

    ``sources`` are the pydicom datasets of the series the label map was drawn on (headers are
    enough; see :func:`read_series_headers`). Returns ``{segment_number: label_value}``.
    """
    path = Path(path)
    if not sources:
        raise SaveError("a DICOM SEG needs the source series it refers to", path=path)
    counts = count_values(label_map.array)   # in chunks: np.unique sorted a copy of the volume
    present = {int(v) for v in np.flatnonzero(counts) if v != 0}
    values = sorted(present | set(label_map.segments.segments))
    if not values:
        raise LabelMapError("the label map has no segment to save", path=path)
    options = dict(series_description=series_description, series_number=series_number,
                   content_creator=content_creator, model=model, work=work)
    try:
        with saving_lock(path):   # another window's save of this file waits (its temporary kept)
            recover([path])  # temporaries of a save a kill interrupted
            with atomic_path(path) as tmp:
                abandonable(lambda: _write_seg(label_map, sources, values, tmp, path, options, cancel),
                            cancel, "writing a DICOM SEG")
                check(cancel)
    except OSError as exc:
        raise SaveError(f"DICOM SEG not saved: {describe(exc)}", path=path) from None
    return {number: value for number, value in enumerate(values, start=1)}


def _write_seg(label_map: LabelMap, sources: Sequence, values: list[int], tmp: Path, path: Path,
               options: dict, cancel: CancelToken | None) -> None:
    """The SEG of :func:`save_seg` written to ``tmp``; when the caller is gone (``cancel`` set,
    Ctrl+C: it removed ``tmp``, maybe before it was written again here), ``tmp`` is removed."""
    try:
        seg = _built_seg(label_map, sources, values, path, cancel, **options)
        check(cancel)
        with stoppable():
            seg.save_as(tmp, enforce_file_format=True)
        if abandoned():
            raise Cancelled()
        check(cancel)
    except BaseException:
        if abandoned() or (cancel is not None and cancel.cancelled):
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise


def _built_seg(label_map: LabelMap, sources: Sequence, values: list[int], path: Path,
               cancel: CancelToken | None, *, series_description: str, series_number: int,
               content_creator: str | None, model: str, work=()):
    """highdicom's Segmentation of ``label_map`` (segment ``n`` the ``n``-th of ``values``) on
    the source frames, overlapping segments' PixelData written again (``seg_frames``)."""
    import highdicom as hd

    grid = FrameGrid(label_map, sources)
    lut = np.zeros(max(values) + 1, dtype=np.uint8 if len(values) < 256 else np.uint16)
    descriptions, wholes = [], {}
    for number, value in enumerate(values, start=1):
        lut[value] = number
        segment = (label_map.segments.get(value) if value in label_map.segments
                   else Segment(value, f"Segment {value}", default_color(value)))
        descriptions.append(_description(number, segment))
        whole = whole_frames(segment, number, label_map, grid) if is_context(segment) else None
        if whole is not None:   # the brain whole, lesions included: segments may overlap
            wholes[number] = whole
    # segment numbers at every source pixel, one byte a voxel: highdicom makes each segment's
    # frames of it; a context segment's frames are written again whole (``seg_frames``)
    pixels = sample_labels(label_map, grid, lut, cancel)
    sources = sources_for_seg(sources)
    try:
        with stoppable():   # the caller gone: stopped here, not at the end of the build
            seg = hd.seg.Segmentation(
                source_images=list(sources), pixel_array=pixels,
                segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
                segment_descriptions=descriptions, series_instance_uid=hd.UID(),
                series_number=series_number, sop_instance_uid=hd.UID(), instance_number=1,
                manufacturer="neuroview", manufacturer_model_name="neuroview",
                software_versions=__version__, device_serial_number="0",
                content_description=series_description[:64], content_label="SEGMENTATION",
                content_creator_name=content_creator and pn_value(content_creator),
                series_description=series_description[:64],
                omit_empty_frames=False,
            )
    except (ValueError, TypeError, AttributeError) as exc:
        raise SaveError(f"cannot build a DICOM SEG from this series "
                        f"({build_failure(exc, sources)})", path=path) from None
    check(cancel)
    if wholes:
        data, overlap = write_overlapping(seg, pixels, wholes, grid, cancel)
        del pixels
        seg.PixelData, seg.SegmentsOverlap = bytes(data), "YES" if overlap else "NO"
        del data
    else:
        del pixels
    # the series is dated when it was made (as dcmqi dates Slicer's SEGs): highdicom dates only its
    # content, so a PACS browser (Open from PACS, OHIF, Slicer's) showed the reader's SEG undated
    seg.SeriesDate, seg.SeriesTime = seg.ContentDate, seg.ContentTime
    if model:
        seg.ContributingEquipmentSequence = [proposing_equipment(model)]
    write_work(seg, work)
    ours = [content_creator or "", series_description, *(d.SegmentLabel for d in descriptions),
            *(entry.get("annotator", "") for entry in work)]
    if "SpecificCharacterSet" not in seg and not all(str(text).isascii() for text in ours):
        # a reader Müller^Jörg of a series without a character set (ASCII): said, as UTF-8; it
        # was written as Latin-1 bytes with no character set, which DICOM reads as ASCII
        seg.SpecificCharacterSet = "ISO_IR 192"
    return seg


def _segment_from_description(desc) -> Segment:
    import highdicom as hd

    number = int(desc.segment_number)
    color = default_color(number)
    if "RecommendedDisplayCIELabValue" in desc:
        try:
            lab = hd.color.CIELabColor.from_dicom_value(desc.RecommendedDisplayCIELabValue)
            color = tuple(int(c) for c in lab.to_rgb(clip=True))
        except (ValueError, TypeError):
            pass
    made = provenance_from(str(desc.get("SegmentAlgorithmType", "")),
                           desc.get("SegmentationAlgorithmIdentificationSequence"))
    return Segment(number, str(desc.segment_label), color, **made)


def resample_labels(label_map: LabelMap, shape, ijk_to_ras: np.ndarray) -> LabelMap:
    """``label_map`` placed on another grid by nearest neighbour (exact when the grids coincide)."""
    from scipy import ndimage

    shape = tuple(int(n) for n in shape[:3])
    if same_grid(label_map.shape, label_map.ijk_to_ras, shape, ijk_to_ras):
        return LabelMap(label_map.array, np.asarray(ijk_to_ras, float), label_map.segments)
    out_to_in = np.linalg.inv(label_map.ijk_to_ras) @ np.asarray(ijk_to_ras, dtype=float)
    # Permuted/flipped grids give near-integer matrices; snap them so order-0 sampling is exact.
    snapped = np.rint(out_to_in)
    out_to_in = np.where(np.abs(out_to_in - snapped) < 1e-6, snapped, out_to_in)
    array = ndimage.affine_transform(label_map.array, out_to_in[:3, :3], offset=out_to_in[:3, 3],
                                     output_shape=shape, order=0, mode="constant", cval=0)
    return LabelMap(array, np.asarray(ijk_to_ras, float), label_map.segments)


def is_seg_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a DICOM SEG file (its SOP class or modality; the header only is read)."""
    import pydicom

    if not os.path.isfile(path):
        return False
    try:   # pydicom parses an element when asked for it: a damaged one raises at the ``get``
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # pydicom's notes on odd values
            ds = pydicom.dcmread(path, stop_before_pixels=True, specific_tags=["SOPClassUID", "Modality"])
            return str(ds.get("SOPClassUID", "")) == SEG_SOP_CLASS_UID or str(ds.get("Modality", "")) == "SEG"
    except Exception:  # not DICOM (a NIfTI mask), or unreadable: not a SEG to open as one
        return False


def load_seg(path: str | os.PathLike, volume=None, cancel: CancelToken | None = None) -> LabelMap:
    """Open a DICOM SEG as a label map (segment numbers as values) in RAS.

    With ``volume`` (the open image), the map is placed on that volume's grid so it overlays it.
    A segment coded as the brain (``seg_context``) lies under the others with its whole mask as its
    extent, and starts hidden, as a model run's brain does. ``cancel``: see :func:`load_seg_placed`.
    """
    return load_seg_placed(path, volume, cancel)[0]


def load_seg_placed(path: str | os.PathLike, volume=None,
                    cancel: CancelToken | None = None) -> tuple[LabelMap, list[int]]:
    """:func:`load_seg`, and the segment numbers that held voxels in the file but none on
    ``volume``'s grid (frames thinner than its voxels, between its voxel centres). ``cancel``
    stops it at once (``Cancelled``): the read runs on a thread of its own that the caller
    stops waiting for (``core.jobs.abandonable``; so does Ctrl+C), as the header's parse
    (pydicom and highdicom, one call of 1.7 s and more for a CT's SEG) cannot stop midway; the
    read left behind stops at its next frame. highdicom's frame index (SQLite) serves only the
    thread that made it: the whole read is on that thread. The read left behind stops at once
    within the header's parse too (``core.stoppable``; it ran on to its end until session 45)."""
    with warnings.catch_warnings():   # pydicom's UserWarning for each odd value of a damaged
        warnings.simplefilter("ignore")   # file: two lines each on the terminal, above ours
        return abandonable(lambda: _load_seg(path, volume, cancel), cancel, "reading a DICOM SEG")


def _load_seg(path: str | os.PathLike, volume=None,
              cancel: CancelToken | None = None) -> tuple[LabelMap, list[int]]:

    path = os.fspath(path)
    if not os.path.exists(path):
        raise CorruptFileError("file not found", path=path)
    check_seg_file(path, volume)
    try:
        seg = read_segmentation(path)   # also a SEG by its content, of another SOP class
    except Cancelled:   # its caller gone (``core.stoppable``)
        raise
    except Exception as exc:  # pydicom/highdicom raise many types for broken files
        if ends_before_pixels(path):   # cut in its last frame's header: highdicom's words were it
            raise CorruptFileError(CUT_SHORT, path=path) from None
        raise CorruptFileError(f"not a readable DICOM SEG ({seg_words(exc, path)})", path=path) from None
    check_seg_pixels(seg, path)
    try:   # highdicom reads a field when asked for it: one missing or of another type raises there
        table, (array, ijk_to_ras, extents) = _segments_and_frames(seg, path, volume, cancel)
    except (AttributeError, KeyError, TypeError, IndexError) as exc:
        # a segment of no number (TypeError), frames without PhotometricInterpretation...
        raise CorruptFileError(f"not a readable DICOM SEG ({seg_words(exc, path)})", path=path) from None
    label_map, emptied = LabelMap(array, ijk_to_ras, table), []
    if volume is not None and not same_grid(array.shape, ijk_to_ras, volume.shape, volume.ijk_to_ras):
        label_map = resample_labels(label_map, volume.shape, volume.ijk_to_ras)
        held = np.flatnonzero(_value_counts(array))
        kept = _value_counts(label_map.array, int(held.max(initial=0)) + 1)
        emptied = [int(v) for v in held if v and not kept[v]]
        extents = {number: _resampled_extent(extent, array.shape, ijk_to_ras, volume)
                   for number, extent in extents.items()}
    for number, extent in extents.items():
        # hidden, as a model run's brain starts (a SEG keeps no display state): a reopened case
        # looks as it did, the image not covered by a litre of brain
        label_map.segments.put(dataclasses.replace(table.get(number), visible=False, extent=extent))
    return label_map, emptied


def _segments_and_frames(seg, path: str, volume, cancel):
    """The SEG's segment table and ``(array, ijk_to_ras, extents)`` of its frames."""
    if not all(isinstance(item.get("SegmentNumber"), int) for item in seg.get("SegmentSequence", [])):
        raise CorruptFileError("not a readable DICOM SEG (a segment has no SegmentNumber: damaged)",
                               path=path)
    numbers = list(seg.segment_numbers)
    brains = {n for n in numbers if is_brain_description(seg.get_segment_description(n))}
    table, work = SegmentTable(), read_work(seg)   # every segment names the SEG's, as a sidecar's rows
    for number in numbers:
        segment = dataclasses.replace(_segment_from_description(seg.get_segment_description(number)),
                                      work=work)
        too_long = name_too_long(number, "label", segment.name)
        if too_long:
            raise CorruptFileError(f"not a readable DICOM SEG ({too_long})", path=path)
        table.put(segment)
    try:   # BINARY frames a frame at a time into one label map (``seg_read``), on the volume's grid
        found = read_frames(seg, numbers, brains, *((volume.shape, volume.ijk_to_ras)
                                                    if volume is not None else ()), cancel=cancel)
    except (GeometryError, CorruptFileError) as exc:
        raise type(exc)(exc.message, path=path) from None
    except (ValueError, RuntimeError) as exc:
        raise GeometryError(f"the SEG frames do not form a regular volume ({private_reason(exc)})",
                            path=path) from None
    if found is None:   # FRACTIONAL, LABELMAP...: highdicom's volume
        found = _highdicom_volume(seg, numbers, brains, path)
    return table, found


COUNT_CHUNK = 1 << 18
"""Voxels counted at a time by :func:`_value_counts` (2 MiB of int64)."""


def _value_counts(array: np.ndarray, minlength: int = 0) -> np.ndarray:
    """``np.bincount`` of a label array, a chunk at a time: a whole-map bincount makes an int64
    copy of the map (16 MiB more for a 256x256x32 SEG than its read is allowed,
    ``seg_check.seg_read_bytes``)."""
    flat = array.reshape(-1)
    counts = np.zeros(max(minlength, 1), np.int64)
    for start in range(0, flat.size, COUNT_CHUNK):
        chunk = np.bincount(flat[start:start + COUNT_CHUNK])
        if len(chunk) > len(counts):
            counts = np.concatenate([counts, np.zeros(len(chunk) - len(counts), np.int64)])
        counts[:len(chunk)] += chunk
    return counts


def _highdicom_volume(seg, numbers: list[int], brains: set[int], path: str):
    """``(array, ijk_to_ras, extents)`` of a SEG ``seg_read`` does not read (not BINARY) from
    highdicom's ``get_volume``: a plane per segment when a brain lies under the others."""
    try:
        hd_volume = seg.get_volume(combine_segments=not brains, skip_overlap_checks=True)
    except (ValueError, RuntimeError) as exc:
        raise GeometryError(f"the SEG frames do not form a regular volume ({private_reason(exc)})",
                            path=path) from None
    array, masks = np.asarray(hd_volume.array), {}
    if brains:
        array, masks = combined({n: array[..., i] > 0 for i, n in enumerate(numbers)}, brains)
    return (array, LPS_TO_RAS @ np.asarray(hd_volume.affine, dtype=float),
            {number: encode_extent(mask) for number, mask in masks.items()})


def _resampled_extent(extent: dict, shape, ijk_to_ras, volume) -> dict:
    """A context segment's extent on the SEG's grid placed on ``volume``'s grid."""
    whole = inside(extent, shape, (0, 0, 0), shape)
    if whole is None:
        return {}
    whole = LabelMap(whole.view(np.uint8), ijk_to_ras, SegmentTable())   # 0 and 1: no copies
    return encode_extent(resample_labels(whole, volume.shape, volume.ijk_to_ras).array.view(bool))
