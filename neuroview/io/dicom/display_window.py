"""The window a DICOM series asks to be shown with: WindowWidth / WindowCenter (C.11.2, VOI LUT
module), the first of several, as PACS viewers and 3D Slicer open a series; the others (a CT's
soft-tissue and bone windows, 350/40 and 1500/450) are offered after it, as Slicer does. The values apply to
the rescaled voxels (after RescaleSlope / RescaleIntercept), the units of a loaded Volume.

Classic files carry them at the top level; enhanced (multi-frame) files in the Frame VOI LUT
functional group, shared by all frames or per frame (the first frame's is taken, in files of up
to :data:`PER_FRAME_LIMIT` frames; the others offered are the shared group's and those every
frame names)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from .quick_dataset import QuickDataset

PER_FRAME_LIMIT = 1000
"""A window given per frame only is read from files of at most this many frames: pydicom parses
every item of the per-frame sequence to give the first (about 0.4 ms a frame)."""


def _first(value) -> Optional[float]:
    if value is None or value == "":
        return None
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):  # pydicom's MultiValue
        if len(value) == 0:
            return None
        value = value[0]
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _from(item) -> Optional[tuple[float, float]]:
    """``(width, centre)`` of a dataset or functional-group item holding the two values."""
    width, centre = _first(item.get("WindowWidth")), _first(item.get("WindowCenter"))
    if width is None or centre is None or width <= 0:
        return None
    return width, centre


def _voi_group(ds, keyword: str):
    groups = ds.get(keyword)
    if not groups:
        return None
    voi = groups[0].get("FrameVOILUTSequence")
    return voi[0] if voi else None


def header_window(header, dataset=None) -> Optional[tuple[float, float]]:
    """``(window width, level)`` from a series' first file: ``header`` is neuroview's reading of
    it or a pydicom dataset; ``dataset`` (a callable giving the pydicom dataset) is read only
    for an enhanced file, whose functional groups the quick reader leaves as bytes."""
    try:
        found = _from(header)
    except Exception:  # noqa: BLE001 - a value the quick reader declines: pydicom's reading
        found = None
        if isinstance(header, QuickDataset) and dataset is not None:
            return _safe(lambda: header_window(dataset()))
    if found is not None:
        return found
    if "SharedFunctionalGroupsSequence" not in header and \
            "PerFrameFunctionalGroupsSequence" not in header:
        return None
    if isinstance(header, QuickDataset):
        if dataset is None:
            return None
        return _safe(lambda: header_window(dataset()))
    keywords = ["SharedFunctionalGroupsSequence"]
    if _first(header.get("NumberOfFrames")) is not None and \
            _first(header.get("NumberOfFrames")) <= PER_FRAME_LIMIT:
        keywords.append("PerFrameFunctionalGroupsSequence")
    for keyword in keywords:
        try:
            found = _from(_voi_group(header, keyword) or {})
        except Exception:  # noqa: BLE001 - a damaged group: no window from it
            continue
        if found is not None:
            return found
    return None


def _windows(item) -> list[tuple[float, float]]:
    """Every ``(width, centre)`` of a dataset or Frame VOI LUT item, in order (WindowWidth and
    WindowCenter may hold several values), the unusable ones (no number, no width) left out."""
    def values(keyword) -> list:
        value = item.get(keyword)
        if value is None or value == "":
            return []
        if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
            return list(value)
        return [value]

    pairs = [(_first(w), _first(c)) for w, c in zip(values("WindowWidth"), values("WindowCenter"))]
    return [(w, c) for w, c in pairs if w is not None and c is not None and w > 0]


def _group_windows(ds, keyword: str, frames: int) -> list[list[tuple[float, float]]]:
    """The windows of the first ``frames`` items of a functional groups sequence, one list an
    item (every Frame VOI LUT item's, in order)."""
    return [[pair for voi in (group.get("FrameVOILUTSequence") or []) for pair in _windows(voi)]
            for group in list(ds.get(keyword) or [])[:frames]]


def _enhanced_windows(ds) -> list[tuple[float, float]]:
    """An enhanced file's windows: its shared group's, then those every frame's own group names
    (a window written in each frame). Windows that differ from frame to frame (a scanner's own
    window for each slice) are one slice's each: only the first frame's first is offered, as
    :func:`header_window` reads it."""
    found = [pair for pairs in _group_windows(ds, "SharedFunctionalGroupsSequence", 1)
             for pair in pairs]
    n_frames = _first(ds.get("NumberOfFrames"))
    if n_frames is not None and n_frames <= PER_FRAME_LIMIT:
        frames = _group_windows(ds, "PerFrameFunctionalGroupsSequence", int(n_frames))
        if frames:   # the first frame's first is the header window whether the rest name it or not
            found += [pair for pair in frames[0] if all(pair in other for other in frames[1:])]
    return found


def more_header_windows(header, dataset=None) -> tuple[tuple[float, float], ...]:
    """``(width, centre)`` of a file's second and later windows, each usable one once, leaving
    out the first's numbers: a classic file's (WindowWidth and WindowCenter holding several
    values) or an enhanced file's (:func:`_enhanced_windows`; ``dataset`` as for
    :func:`header_window`)."""
    try:
        first = header_window(header, dataset)
        if "WindowWidth" in header or ("SharedFunctionalGroupsSequence" not in header and
                                       "PerFrameFunctionalGroupsSequence" not in header):
            pairs = _windows(header)
        elif isinstance(header, QuickDataset):
            pairs = _enhanced_windows(dataset()) if dataset is not None else []
        else:
            pairs = _enhanced_windows(header)
    except Exception:  # noqa: BLE001 - values the reader declines: the first window alone
        return ()
    found: list[tuple[float, float]] = []
    for pair in pairs:
        if pair != first and pair not in found:
            found.append(pair)
    return tuple(found)


def _safe(read) -> Optional[tuple[float, float]]:
    try:
        return read()
    except Exception:  # noqa: BLE001 - no window is no reason to fail the load
        return None
