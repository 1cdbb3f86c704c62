"""Which image a DICOM SEG was made on, as its header says: the series (ReferencedSeriesSequence),
their instances (ReferencedSOPInstanceUID) and the frame of reference (FrameOfReferenceUID).
*Load labels* asks before loading a SEG made on another series than the one on screen, as it asks
of a NIfTI whose sidecar names another image (``app.labels_image``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SegSource:
    series: frozenset[str] = field(default_factory=frozenset)
    instances: frozenset[str] = field(default_factory=frozenset)
    frame_of_reference: str = ""


def seg_source(path: str | os.PathLike) -> SegSource:
    """The references of the SEG at ``path`` (its header only; empty for a file that names none
    or cannot be read: its load says why)."""
    import pydicom

    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True, specific_tags=[
            "ReferencedSeriesSequence", "FrameOfReferenceUID"])
        items = list(ds.get("ReferencedSeriesSequence") or [])
        series = {str(item.get("SeriesInstanceUID", "")) for item in items}
        instances = {str(ref.get("ReferencedSOPInstanceUID", "")) for item in items
                     for ref in (item.get("ReferencedInstanceSequence") or [])}
        frame = str(ds.get("FrameOfReferenceUID", "") or "")
    except Exception:   # pydicom raises many types for a broken file: load_seg names it
        return SegSource()
    return SegSource(frozenset(series - {""}), frozenset(instances - {""}), frame)
