"""A DICOM SEG's BINARY frames read into one label map, a frame at a time (``seg.load_seg``).

highdicom's ``get_volume`` of a SEG whose segments overlap (a model's brain holds the lesions,
``seg_context``) gives one full-volume plane per segment, ``(slices, rows, columns, segments)``;
made into a label map and a brain mask, and placed on the open volume's grid, a read of a brain
and three lesions held 10 times the label map's bytes (``bench/seg_read_memory.py``). Here
highdicom gives the SEG's volume geometry (the same ``get_volume_geometry`` its ``get_volume``
uses) and decodes one frame at a time (``get_stored_frame``); each frame's voxels are written
straight into the label map on the target grid (the open volume's, when it is the SEG's grid up
to axis order and direction, as it is for a SEG of the open series), the context segments first
and every other over them. A context segment's whole mask (its extent) is kept in its bounding
box only, filled from its frames again once the box is known.

Only BINARY frames on a regular volume are read so; ``read_frames`` returns ``None`` for
anything else (FRACTIONAL, LABELMAP, tiled), which ``load_seg`` reads with highdicom's volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..core.errors import CorruptFileError, GeometryError
from ..core.extent import encode_extent
from ..core.geometry import LPS_TO_RAS
from ..core.jobs import CancelToken, check

SNAP = 1e-6
"""How close to an integer a grid-to-grid index mapping must be to be exact (``resample_labels``)."""


def _frame_table(seg, geometry, numbers: set[int]) -> list[tuple[int, int, int]]:
    """``(frame index, segment number, slice)`` of every frame; ``GeometryError`` for a frame off
    the volume's slices or two frames of one segment at one slice (as ``get_volume`` refuses),
    ``CorruptFileError`` for a frame of a segment that is not among ``numbers`` (the SEG's
    segment list): its voxels would be written as that number, 0 (lost as background) or one
    the label map cannot hold (65535 in a uint8 map was an internal OverflowError)."""
    shared = seg.SharedFunctionalGroupsSequence[0] if "SharedFunctionalGroupsSequence" in seg else None
    to_index = np.linalg.inv(np.asarray(geometry.affine, float))
    slices = geometry.spatial_shape[0]
    table, seen = [], set()
    for index, item in enumerate(seg.PerFrameFunctionalGroupsSequence):
        number = int(_group(item, shared, "SegmentIdentificationSequence", index).ReferencedSegmentNumber)
        if number not in numbers:
            raise CorruptFileError(f"SEG frame {index + 1} belongs to segment {number}, which its "
                                   f"segment list does not hold (segments {_listed(numbers)})")
        position = [float(x) for x in
                    _group(item, shared, "PlanePositionSequence", index).ImagePositionPatient]
        at = to_index @ np.r_[position, 1.0]
        where = int(np.rint(at[0]))
        if np.max(np.abs(at[:3] - [where, 0, 0])) > 1e-3 or not 0 <= where < slices:
            raise GeometryError(f"SEG frame {index + 1} is not on the volume's slices")
        if (number, where) in seen:
            raise GeometryError("the SEG frames do not form a regular volume (two frames of "
                                f"segment {number} at one position)")
        seen.add((number, where))
        table.append((index, number, where))
    return table


@dataclass
class ShearedGeometry:
    """A SEG's grid whose slices step off their normal (a gantry-tilted CT's), as highdicom's
    ``VolumeGeometry`` gives a regular one: ``affine`` maps (slice, row, column) to LPS mm."""

    affine: np.ndarray
    spatial_shape: tuple[int, int, int]


def sheared_geometry(seg, tolerance_mm: float = 1e-2) -> Optional[ShearedGeometry]:
    """The grid of ``seg``'s frames when every position lies one same step from the last and
    that step leaves the image plane (a gantry tilt: the slices shifted along the plane as they
    go), which highdicom's ``get_volume_geometry`` does not take for a volume (its slices must
    stack along their normal); ``None`` otherwise. A SEG of a tilted CT, written on the series'
    own frames, could not be read back until session 36."""
    shared = seg.SharedFunctionalGroupsSequence[0] if "SharedFunctionalGroupsSequence" in seg else None
    frames = seg.get("PerFrameFunctionalGroupsSequence") or []
    if not frames:
        return None
    try:
        cosines = np.asarray(_group(frames[0], shared, "PlaneOrientationSequence", 0)
                             .ImageOrientationPatient, float)
        spacing = np.asarray(_group(frames[0], shared, "PixelMeasuresSequence", 0).PixelSpacing, float)
        positions = np.array([[float(x) for x in _group(item, shared, "PlanePositionSequence", i)
                               .ImagePositionPatient] for i, item in enumerate(frames)])
    except (GeometryError, AttributeError, TypeError, ValueError):
        return None
    if cosines.shape != (6,) or spacing.shape != (2,):
        return None
    normal = np.cross(cosines[:3], cosines[3:])
    order = np.argsort(positions @ normal, kind="stable")
    unique = [positions[order[0]]]
    for p in positions[order[1:]]:
        if np.linalg.norm(p - unique[-1]) > tolerance_mm:
            unique.append(p)
    if len(unique) < 2:
        return None
    steps = np.diff(np.array(unique), axis=0)
    step = steps.mean(axis=0)
    uneven = np.max(np.linalg.norm(steps - step, axis=1)) > tolerance_mm
    if uneven or step @ normal < 0.5 * np.linalg.norm(step):   # uneven, or tilted past 60 degrees
        return None
    affine = np.eye(4)
    affine[:3, 0], affine[:3, 1], affine[:3, 2] = step, cosines[3:] * spacing[0], cosines[:3] * spacing[1]
    affine[:3, 3] = unique[0]
    return ShearedGeometry(affine, (len(unique), int(seg.Rows), int(seg.Columns)))


def _listed(numbers: set[int]) -> str:
    ordered = sorted(numbers)
    return ", ".join(map(str, ordered[:5])) + (", ..." if len(ordered) > 5 else "") if ordered else "none"


def _group(item, shared, name: str, index: int):
    """Functional group ``name`` of frame ``index`` (its own, or the shared one)."""
    if name in item:
        return item[name].value[0]
    if shared is not None and name in shared:
        return shared[name].value[0]
    raise GeometryError(f"SEG frame {index + 1} has no {name}")


def placement(seg_to_ras: np.ndarray, shape, ijk_to_ras) -> Optional[tuple[np.ndarray, np.ndarray]]:
    """``(axis, sign, offset)`` rows mapping SEG indices (slice, row, column) to the target grid's
    (target axis ``a`` = ``sign[a] * seg_index[axis[a]] + offset[a]``), when the target is the
    SEG's grid up to axis order and direction; ``None`` otherwise."""
    mapping = np.linalg.inv(np.asarray(ijk_to_ras, float)) @ seg_to_ras
    linear, offset = mapping[:3, :3], mapping[:3, 3]
    snapped = np.rint(linear)
    if np.max(np.abs(linear - snapped)) > SNAP or np.max(np.abs(offset - np.rint(offset))) > SNAP:
        return None
    if not (np.abs(snapped).sum(axis=0) == 1).all() or not (np.abs(snapped).sum(axis=1) == 1).all():
        return None
    axis = np.argmax(np.abs(snapped), axis=1)
    sign = snapped[np.arange(3), axis].astype(np.intp)
    return np.stack([axis, sign, np.rint(offset).astype(np.intp)])


def read_frames(seg, numbers: list[int], context: set[int], shape=None, ijk_to_ras=None,
                cancel: Optional[CancelToken] = None):
    """``(array, ijk_to_ras, extents)`` of ``seg``'s BINARY frames: segment numbers on the grid
    ``shape``/``ijk_to_ras`` (the SEG's own grid when not given, or when the given grid is not
    the SEG's up to axis order and direction: the caller resamples then), the ``context``
    segments first and every other over them, and each context segment's extent (its whole
    mask, ``core.extent``) on that grid. ``None`` when the SEG is not BINARY frames of a volume.
    ``cancel`` is looked at before each frame.
    """
    import highdicom as hd

    if seg.segmentation_type != hd.seg.SegmentationTypeValues.BINARY or seg.is_tiled:
        return None
    geometry = seg.get_volume_geometry() or sheared_geometry(seg)
    if geometry is None:
        raise GeometryError("the SEG frames do not form a regular volume")
    seg_to_ras = LPS_TO_RAS @ np.asarray(geometry.affine, float)
    place = None if shape is None else placement(seg_to_ras, shape, ijk_to_ras)
    if place is None:   # the SEG's own grid
        shape, ijk_to_ras = tuple(geometry.spatial_shape), seg_to_ras
        place = np.stack([np.arange(3), np.ones(3, np.intp), np.zeros(3, np.intp)])
    shape, ijk_to_ras = tuple(int(n) for n in shape[:3]), np.asarray(ijk_to_ras, float)
    array = np.zeros(shape, np.uint8 if max(numbers, default=0) < 256 else np.uint16)
    table = sorted(_frame_table(seg, geometry, set(numbers)), key=lambda f: (f[1] not in context, f[1], f[2]))
    boxes: dict[int, np.ndarray] = {}   # each context segment's bounding box, SEG indices
    for index, number, where in table:
        check(cancel)
        frame = seg.get_stored_frame(index, as_index=True).astype(bool)
        slab = _slab(array, place, where, frame)
        if slab is not None:
            view, crop = slab
            view[crop] = number
        if number in context and frame.any():
            rows, cols = np.flatnonzero(frame.any(axis=1)), np.flatnonzero(frame.any(axis=0))
            box = np.array([[where, rows[0], cols[0]], [where + 1, rows[-1] + 1, cols[-1] + 1]])
            old = boxes.setdefault(number, box)
            boxes[number] = np.array([np.minimum(old[0], box[0]), np.maximum(old[1], box[1])])
    extents = {}
    for number in sorted(context & set(numbers)):
        lo, hi = _target_box(boxes.get(number), place, shape)
        if lo is None:
            extents[number] = {}
            continue
        whole = np.zeros(tuple(hi - lo), bool)   # the box only, filled from its frames again
        moved = place.copy()
        moved[2] -= lo
        for index, frame_number, where in table:
            if frame_number == number:
                check(cancel)
                slab = _slab(whole, moved, where, seg.get_stored_frame(index, as_index=True).astype(bool))
                if slab is not None:
                    view, crop = slab
                    view[crop] = True
        extents[number] = encode_extent(whole, at=lo)
        del whole
    return array, ijk_to_ras, extents


def _span(sign: int, offset: int, count: int, size: int) -> Optional[tuple[int, int, slice]]:
    """SEG indices ``[u0, u1)`` of ``count`` whose target index ``sign * u + offset`` is in
    ``[0, size)``, and the target slice they map to in order; ``None`` when none is."""
    if sign > 0:
        u0, u1 = max(0, -offset), min(count, size - offset)
    else:
        u0, u1 = max(0, offset - size + 1), min(count, offset + 1)
    if u0 >= u1:
        return None
    if sign > 0:
        return u0, u1, slice(u0 + offset, u1 + offset)
    stop = offset - u1
    return u0, u1, slice(offset - u0, stop if stop >= 0 else None, -1)


def _slab(target: np.ndarray, place: np.ndarray, where: int, frame: np.ndarray):
    """``(view, crop)``: the view of ``target`` the frame at SEG slice ``where`` lies on, and the
    part of ``frame`` inside ``target``, both ``(rows, columns)``; ``None`` when it lies outside."""
    index, crop, order = [], [slice(None), slice(None)], []
    for a, (axis, sign, offset) in enumerate(place.T):
        if axis == 0:
            at = sign * where + offset
            if not 0 <= at < target.shape[a]:
                return None
            index.append(int(at))
            continue
        span = _span(int(sign), int(offset), frame.shape[axis - 1], target.shape[a])
        if span is None:
            return None
        crop[axis - 1] = slice(span[0], span[1])
        index.append(span[2])
        order.append(axis)
    view = target[tuple(index)]
    return (view if order == [1, 2] else view.T), frame[tuple(crop)]


def _target_box(box: Optional[np.ndarray], place: np.ndarray, shape) -> tuple:
    """``(lo, hi)`` on the target grid of a SEG-index box (clipped to ``shape``); ``(None,
    None)`` when there is no box or it lies outside."""
    if box is None:
        return None, None
    lo, hi = np.zeros(3, np.intp), np.zeros(3, np.intp)
    for a, (axis, sign, offset) in enumerate(place.T):
        ends = sorted((sign * box[0][axis] + offset, sign * (box[1][axis] - 1) + offset))
        lo[a], hi[a] = max(ends[0], 0), min(ends[1] + 1, shape[a])
    return (lo, hi) if (lo < hi).all() else (None, None)
