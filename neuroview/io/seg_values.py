"""A DICOM SEG's header values that highdicom reads without checking, checked first and said as a
user knows them (``seg_check.check_seg_file`` before ``segread``, :func:`check_seg_pixels`
after it). highdicom stores a NaN spacing or orientation as NULL in its frame table (``NOT NULL
constraint failed: FrameLUT.PixelSpacing_0``), turns an infinite position into ``cannot convert
float NaN to integer``, and reshapes pixel data cut short into ``cannot reshape array of size
32 into shape (16,12)``; a SEG without its segment list was ``'Segmentation' object has no
attribute 'SegmentSequence'`` (``bench/kinds_fuzz.py --only seg-window``, session 36)."""

from __future__ import annotations

import math

from ..core.errors import CorruptFileError

GEOMETRY = (("PixelMeasuresSequence", "PixelSpacing"), ("PixelMeasuresSequence", "SliceThickness"),
            ("PlaneOrientationSequence", "ImageOrientationPatient"),
            ("PlanePositionSequence", "ImagePositionPatient"))
"""The functional groups' values that place a SEG's frames."""


def check_seg_values(ds, path) -> None:
    """The segment list is there, and every value that places a frame is a finite number."""
    if "SegmentSequence" not in ds:
        raise CorruptFileError("the SEG has no segment list (SegmentSequence; damaged or "
                               "stripped file)", path=path)
    groups = [("shared", item) for item in ds.get("SharedFunctionalGroupsSequence") or []]
    groups += [(f"frame {n}", item) for n, item in
               enumerate(ds.get("PerFrameFunctionalGroupsSequence") or [], 1)]
    for where, item in groups:
        for group, keyword in GEOMETRY:
            for inner in item.get(group) or []:
                value = inner.get(keyword)
                if value is None:
                    continue
                values = [value] if isinstance(value, (str, float, int)) else list(value)
                shown = "\\".join(str(v) for v in values)
                if not all(_number(v) for v in values):   # text: a name could be there
                    raise CorruptFileError(f"the SEG's {keyword} ({where}) does not hold numbers "
                                           "(damaged header; value not shown)", path=path)
                if any(not math.isfinite(float(v)) for v in values):
                    raise CorruptFileError(f"the SEG's {keyword} ({where}) is {shown}, not finite "
                                           "numbers (damaged header)", path=path)
                if keyword == "PixelSpacing" and any(float(v) <= 0 for v in values):
                    # highdicom: "All values in 'pixel_spacing' must be positive."
                    raise CorruptFileError(f"the SEG's PixelSpacing ({where}) is {shown}, not a "
                                           "size in mm above 0 (damaged header)", path=path)


def _number(value) -> bool:
    try:
        float(value)
        return True
    except (TypeError, ValueError):
        return False


def check_seg_pixels(seg, path) -> None:
    """A SEG has pixel data, and a native (uncompressed) one holds every frame its header
    declares. A SEG cut short right before its pixel data (a full disk, an interrupted copy)
    reads as a whole header: highdicom's ``Dataset contains no pixel data`` escaped as an
    internal AttributeError."""
    if "PixelData" not in seg:
        raise CorruptFileError("the SEG holds no pixel data (PixelData; the file is cut short "
                               "or stripped)", path=path)
    meta = getattr(seg, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    if syntax is not None and syntax.is_encapsulated:
        return
    frames = int(seg.get("NumberOfFrames", 1) or 1)
    bits = frames * int(seg.Rows) * int(seg.Columns) * int(seg.get("SamplesPerPixel", 1) or 1) \
        * int(seg.BitsAllocated)
    need, held = (bits + 7) // 8, len(seg.PixelData)
    if held < need:
        raise CorruptFileError(f"the SEG's pixel data holds {held} bytes, its {frames} frames of "
                               f"{seg.Rows}x{seg.Columns} need {need} (truncated)", path=path)
