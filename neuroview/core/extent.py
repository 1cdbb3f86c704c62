"""A context segment's whole extent: the voxels it lies under, beneath the segments drawn over it.

A label map holds one label a voxel, so a lesion painted inside a model's *brain* segment takes
its voxels from the brain. The brain is context, not a finding: as in 3D Slicer, whose segments
overlap, the brain is still there under the lesion. Its segment keeps its **extent**
(:attr:`~neuroview.core.labels.Segment.extent`: the brain mask the model produced, lesions
included), and a write that clears a voxel of another segment inside that extent gives the voxel
back to the brain instead of leaving background (:func:`cleared_values`, used by every tool's
write in ``core.edit.base``). Erasing the brain itself by hand takes voxels out of the extent;
painting it by hand adds them (:func:`followed`). The extent travels in the segment table, so
undo, redo, the workspace journal and its restore keep it with the voxels.

Stored as JSON (the segment table is): ``{"lo": [i, j, k], "shape": [a, b, c], "bits": TEXT}``,
``TEXT`` the base64 of zlib of ``np.packbits`` of the box's boolean mask in C order.
"""

from __future__ import annotations

import base64
import binascii
import functools
import numbers
import zlib
from typing import Optional

import numpy as np

from .undo import box_slices, union_box


def encode_extent(mask: np.ndarray, at=(0, 0, 0)) -> dict:
    """The extent of the boolean ``mask`` (full-size, or a box at ``at``): its bounding box's
    mask (``{}`` when it is empty)."""
    if not mask.any():
        return {}
    spans = [np.flatnonzero(mask.any(axis=tuple(a for a in range(3) if a != axis))) for axis in range(3)]
    lo, hi = [int(n[0]) for n in spans], [int(n[-1]) + 1 for n in spans]
    inner = np.ascontiguousarray(mask[box_slices(lo, hi)], dtype=bool)
    bits = base64.b64encode(zlib.compress(np.packbits(inner.ravel()).tobytes(), 6)).decode("ascii")
    return {"lo": [int(a) + b for a, b in zip(at, lo)], "shape": list(inner.shape), "bits": bits}


def checked_extent(extent, value: int) -> dict:
    """``extent`` as read from a segment table (``{}`` for none); ``ValueError`` naming the
    segment when it is not one :func:`encode_extent` wrote."""
    if extent in (None, {}, ""):
        return {}
    ok = (isinstance(extent, dict) and set(extent) == {"lo", "shape", "bits"}
          and isinstance(extent["bits"], str)
          and all(isinstance(extent[k], list) and len(extent[k]) == 3
                  and all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0
                          for n in extent[k]) for k in ("lo", "shape")))
    if not ok:
        raise ValueError(f"segment {value}'s extent is not a box and a mask")
    return {"lo": [int(n) for n in extent["lo"]], "shape": [int(n) for n in extent["shape"]],
            "bits": extent["bits"]}


@functools.lru_cache(maxsize=4)
def _decoded(lo: tuple, shape: tuple, bits: str) -> Optional[np.ndarray]:
    count = int(np.prod(shape))
    size = (count + 7) // 8
    try:   # never more than the box's bytes (a damaged or hostile table is no zlib bomb)
        inflate = zlib.decompressobj()
        packed = np.frombuffer(inflate.decompress(base64.b64decode(bits, validate=True), size + 1), np.uint8)
    except (binascii.Error, zlib.error, ValueError):
        return None
    if packed.size != size or not inflate.eof:
        return None
    mask = np.unpackbits(packed, count=count).view(bool).reshape(shape)
    mask.flags.writeable = False
    return mask


def extent_mask(extent: dict, grid: tuple) -> Optional[tuple[tuple, np.ndarray]]:
    """``(lo, box mask)`` of an extent on a label map of shape ``grid``; ``None`` when there is
    none, or it does not fit the grid or its bits are damaged (the segment is then plain)."""
    if not extent:
        return None
    lo, shape = tuple(extent["lo"]), tuple(extent["shape"])
    if any(a + n > g for a, n, g in zip(lo, shape, grid)) or 0 in shape:
        return None
    mask = _decoded(lo, shape, extent["bits"])
    return None if mask is None else (lo, mask)


def inside(extent: dict, grid: tuple, lo, shape) -> Optional[np.ndarray]:
    """The extent's mask over the box at ``lo`` of ``shape`` (``None``: no extent)."""
    found = extent_mask(extent, grid)
    if found is None:
        return None
    e_lo, mask = found
    out = np.zeros(tuple(shape), dtype=bool)
    a = [max(x, y) for x, y in zip(lo, e_lo)]
    b = [min(x + n, y + m) for x, n, y, m in zip(lo, shape, e_lo, mask.shape)]
    if all(p < q for p, q in zip(a, b)):
        out[box_slices([p - x for p, x in zip(a, lo)], [q - x for q, x in zip(b, lo)])] = \
            mask[box_slices([p - y for p, y in zip(a, e_lo)], [q - y for q, y in zip(b, e_lo)])]
    return out


BRAIN_NAME = "brain"
"""The name of the segment a model's brain extraction adds (``ai.segment.BRAIN_SEGMENT``)."""


def is_context(segment) -> bool:
    """Whether ``segment`` is a model's brain, context under the lesions rather than a finding:
    one with an extent (a model run's brain, or one read back from a DICOM SEG coded as the
    brain, whatever it is named now), or a model's segment named *brain* (from a labels file,
    which keeps no extent). A person's segment merely named "brain" is not. The one rule the
    training set (stored as background), the follow-up and the readers' comparison (left out of
    the lesions), the DICOM SEG writer (coded as the brain) and the window all follow."""
    return bool(segment.extent) or (segment.origin == "model" and segment.name.lower() == BRAIN_NAME)


def without_context(labels) -> np.ndarray:
    """The lesions of a label map (``array`` and ``segments``): a model's *brain* segment
    (context, :func:`is_context`) is background, as *Send to training set* stores it. The
    follow-up and the readers' comparison read masks so; the follow-up matched a saved brain as
    one lesion of a litre, and a reader's brain made Dice against a reader without it 0.04."""
    context = [s.value for s in labels.segments if is_context(s)]
    if not context:
        return labels.array
    return np.where(np.isin(labels.array, context), 0, labels.array).astype(labels.array.dtype)


def context_segments(table) -> list:
    """The segments of a ``SegmentTable`` that have an extent (a model's brain): those a write
    gives voxels back to (a brain without an extent has none to give)."""
    return [s for s in table.segments.values() if s.extent]


def cleared_values(table, grid: tuple, lo, old: np.ndarray, cleared: np.ndarray) -> Optional[np.ndarray]:
    """The values a write that clears the voxels ``cleared`` (box-sized, at ``lo``; ``old``: their
    values before) gives them: a context segment's value where they lie in its extent and held
    another segment, else 0. ``None`` when no context segment applies. A write that clears the
    context segment's own voxels too (loading a file without it) gives nothing back to it."""
    result = None
    for segment in context_segments(table):
        value = segment.value
        if (cleared & (old == value)).any():
            continue
        mask = inside(segment.extent, grid, lo, cleared.shape)
        if mask is None:
            continue
        back = cleared & mask & (old != 0) & (old != value)
        if back.any():
            result = np.zeros(cleared.shape, old.dtype) if result is None else result
            result[back & (result == 0)] = value
    return result


def _diff_parts(diff, value: int, extent: dict, grid: tuple):
    if not ((diff.old == value).any() or (diff.new == value).any()):   # a step away from it
        return None, None, None, None
    changed = diff.mask()
    old = np.zeros(diff.shape, diff.old.dtype)
    new = np.zeros(diff.shape, diff.new.dtype)
    old[changed], new[changed] = diff.old, diff.new
    within = inside(extent, grid, diff.lo, diff.shape)
    return changed, old, new, within


def drawn_by_hand(segment, diff, grid: tuple) -> bool:
    """``diff`` changed the context ``segment`` by hand: erased voxels of it (to background), or
    gave it voxels outside its extent; as :func:`followed` changes its extent. A lesion painted
    over it leaves it under the lesion, not corrected (it read ``+ drawn`` in *From*, though a
    new result of its model did not count it as corrected)."""
    changed, old, new, within = _diff_parts(diff, segment.value, segment.extent, grid)
    if within is None:
        return False
    return bool((changed & (old == segment.value) & (new == 0)).any()
                or (changed & (new == segment.value) & ~within).any())


def followed(segment, diff, grid: tuple) -> Optional[dict]:
    """The context ``segment``'s extent after ``diff``: without the voxels of it erased (to
    background), with the voxels painted into it; ``None`` when unchanged."""
    changed, old, new, within = _diff_parts(diff, segment.value, segment.extent, grid)
    if within is None:
        return None
    value = segment.value
    taken = changed & (old == value) & (new == 0)
    added = changed & (new == value) & ~within
    if not (taken.any() or added.any()):
        return None
    e_lo, mask = extent_mask(segment.extent, grid)
    lo, hi = union_box((e_lo, tuple(np.add(e_lo, mask.shape))), diff.box)
    work = np.zeros(tuple(np.subtract(hi, lo)), dtype=bool)   # the two boxes, not the grid
    work[box_slices(np.subtract(e_lo, lo), np.subtract(e_lo, lo) + mask.shape)] = mask
    box = work[box_slices(np.subtract(diff.lo, lo), np.subtract(diff.hi, lo))]
    box[taken] = False
    box[added] = True
    return encode_extent(work, lo)
