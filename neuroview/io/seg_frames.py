"""A DICOM SEG's frames, one source frame at a time (``seg.save_seg``).

Each SEG frame corresponds pixel for pixel with one source frame: :class:`FrameGrid` finds, frame
by frame, the label-map voxel at every source pixel centre (refusing a map not on the source
grid). :func:`sample_labels` gives highdicom the label map as segment numbers, one byte a voxel,
``(frames, rows, columns)``: the one full-volume array a save holds. On a map whose axes lie
along the source's rows, columns and slices (in any order, either way), a frame is a view of it
(:meth:`FrameGrid.sample`). A 512x512x300 CT's brain and lesions took 5.3 s to save when each
frame's voxels were gathered one by one (twice for the brain), 2.5 s since session 44.

Segments may overlap (a model's brain holds the lesions inside it, ``seg_context``). highdicom
takes overlapping segments only as one binary plane per segment, ``(frames, rows, columns,
segments)``, and checks the overlap by summing that stack into int64 (8 bytes a voxel): a
512x512x1000 CT with a brain and three lesions held 26 bytes a voxel in all. So highdicom
builds the SEG from the label array (each segment's frames are where the map holds it), and
:func:`write_overlapping` then writes the PixelData again frame by frame in the order of the
SEG's own Per-Frame Functional Groups, a context segment's frames from its whole mask
(``Segment.extent``), and says whether segments overlap. BINARY frames are packed as the standard
packs them: one bit a pixel, the first in the lowest bit, frames one after another with no gap.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np

from ..core.errors import DicomError, GeometryError
from ..core.extent import extent_mask
from ..core.geometry import LPS_TO_RAS
from ..core.jobs import CancelToken, check
from ..core.labels import LabelMap, Segment

GRID_TOLERANCE_VOXELS = 0.01
"""A source pixel centre must fall this close (in voxels) to a label-map voxel centre."""


def _numbers(values, keyword: str, count: int, path) -> np.ndarray:
    """``values`` of a source's ``keyword`` as ``count`` numbers; a DS holding text (float()'s
    words quoted it: the value is not said) or too few is a DicomError naming the file."""
    try:
        numbers = np.asarray([float(v) for v in values], dtype=float)
    except (TypeError, ValueError):
        numbers = np.empty(0)
    if numbers.shape != (count,):
        raise DicomError(f"the source image's {keyword} is not {count} numbers (damaged header; "
                         "value not shown)", path=path)
    return numbers


def plane_affine(position, orientation, spacing, path=None) -> np.ndarray:
    """4x4 map from (column, row, 0, 1) of one DICOM frame (of file ``path``) to LPS millimetres."""
    orientation = _numbers(orientation, "ImageOrientationPatient", 6, path)
    row_dir = orientation[:3]  # direction of increasing column index
    col_dir = orientation[3:]  # direction of increasing row index
    row_spacing, col_spacing = _numbers(spacing, "PixelSpacing", 2, path)
    position = _numbers(position, "ImagePositionPatient", 3, path)
    affine = np.eye(4)
    affine[:3, 0] = row_dir * col_spacing
    affine[:3, 1] = col_dir * row_spacing
    affine[:3, 2] = np.cross(row_dir, col_dir)
    affine[:3, 3] = position
    return affine


def frame_affines(sources: Sequence) -> list[np.ndarray]:
    """One pixel->LPS affine per frame: per file for single-frame series, per frame otherwise."""
    if len(sources) == 1 and "PerFrameFunctionalGroupsSequence" in sources[0]:
        ds = sources[0]
        shared = ds.SharedFunctionalGroupsSequence[0] if "SharedFunctionalGroupsSequence" in ds else None
        affines = []
        for frame in ds.PerFrameFunctionalGroupsSequence:
            def item(name, frame=frame):
                if name in frame:
                    return frame[name].value[0]
                if shared is not None and name in shared:
                    return shared[name].value[0]
                raise DicomError(f"multi-frame source lacks {name}")
            affines.append(plane_affine(item("PlanePositionSequence").ImagePositionPatient,
                                        item("PlaneOrientationSequence").ImageOrientationPatient,
                                        item("PixelMeasuresSequence").PixelSpacing,
                                        ds.get("filename")))
        return affines
    affines = []
    for ds in sources:
        try:
            affines.append(plane_affine(ds.ImagePositionPatient, ds.ImageOrientationPatient,
                                        ds.PixelSpacing, ds.get("filename")))
        except AttributeError as exc:
            raise DicomError(f"source image lacks plane geometry ({exc})") from None
    return affines


class FrameGrid:
    """The label-map voxels under each source frame's pixel centres, computed a frame at a time
    (a frame's indices are three ``rows x columns`` arrays, never a volume's)."""

    def __init__(self, label_map: LabelMap, sources: Sequence):
        self.shape = tuple(int(n) for n in label_map.shape[:3])
        self.rows, self.cols = int(sources[0].Rows), int(sources[0].Columns)
        self.affines = frame_affines(sources)
        self._pixel_to_ijk = [np.linalg.inv(label_map.ijk_to_ras) @ LPS_TO_RAS @ a for a in self.affines]

    def __len__(self) -> int:
        return len(self.affines)

    def indices(self, number: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(i, j, k)`` of the voxel at every pixel centre of frame ``number`` (0-based), as
        arrays that broadcast to ``rows x columns`` (a label axis along the frame's rows is a
        column of indices, one along its columns a row of them, one across it a single index:
        no index array of a frame's size on a grid aligned with the source's); ``GeometryError``
        when the frame is off the map's grid or outside it."""
        m = self._pixel_to_ijk[number]
        rows = np.arange(self.rows, dtype=float)[:, None]
        cols = np.arange(self.cols, dtype=float)[None, :]
        out = []
        for axis in range(3):
            ijk = np.asarray(m[axis, 3]).reshape(1, 1)
            for step, along in ((m[axis, 0], cols), (m[axis, 1], rows)):
                if abs(step) * along.size > 1e-6:   # this axis moves along the frame's rows/columns
                    ijk = ijk + step * along
            nearest = np.rint(ijk)
            if np.max(np.abs(ijk - nearest)) > GRID_TOLERANCE_VOXELS:
                raise GeometryError(f"source frame {number + 1} does not lie on the label map's voxel grid",
                                    hint="save the label map of this series, not a resampled one")
            if nearest.min() < 0 or nearest.max() >= self.shape[axis]:
                raise GeometryError(f"source frame {number + 1} lies outside the label map",
                                    hint="the label map must cover the whole source series")
            out.append(nearest.astype(np.intp))
        return tuple(out)

    def sample(self, array: np.ndarray, number: int, lo=(0, 0, 0)) -> Optional[tuple]:
        """``(where, values)``: the pixels of frame ``number`` (0-based) that lie in ``array``
        (the label map, or a box on its grid whose first voxel is ``lo``) and the voxels of
        ``array`` under them, so that ``frame[where] = values``; ``None`` when none lies in it.
        On a grid aligned with the source's, ``where`` is two slices (a rectangle of the frame)
        and ``values`` a view of ``array``: no index arrays, no gather (a 512x512 frame of a
        300-slice map took 7 ms gathered, 1 ms sliced); otherwise a mask of the frame and the
        voxels under it."""
        local = [index - a for index, a in zip(self.indices(number), lo)]
        if _aligned(local):
            return _rectangle(local, array)
        inside = np.ones((self.rows, self.cols), bool)
        for index, size in zip(local, array.shape):
            inside &= (index >= 0) & (index < size)
        if not inside.any():
            return None
        return inside, array[tuple(np.broadcast_to(index, inside.shape)[inside] for index in local)]

    def position_index(self) -> dict[tuple, int]:
        """Source frame number (0-based) by its ImagePositionPatient, rounded to a micrometre."""
        return {_position_key(a[:3, 3]): n for n, a in enumerate(self.affines)}


def _along(index: np.ndarray) -> Optional[int]:
    """The frame axis a label axis's indices (:meth:`FrameGrid.indices`) lie along: 0 its rows,
    1 its columns, None across it (one index); -1 both."""
    rows, cols = index.shape
    return -1 if rows > 1 and cols > 1 else 0 if rows > 1 else 1 if cols > 1 else None


def _aligned(local: Sequence[np.ndarray]) -> bool:
    """Whether each label axis lies along the frame's rows, along its columns or across it, no
    two along the same, its indices evenly stepped (not 0): the frame is a view of the map."""
    seen = set()
    for index in local:
        axis = _along(index)
        if axis is None:
            continue
        vector = index.ravel()
        step = vector[1] - vector[0]
        if axis == -1 or axis in seen or step == 0 or np.any(np.diff(vector) != step):
            return False
        seen.add(axis)
    return True


def _rectangle(local: Sequence[np.ndarray], array: np.ndarray) -> Optional[tuple]:
    """:meth:`FrameGrid.sample` on a frame that is a view of the map (:func:`_aligned`)."""
    where, index, order = [slice(None), slice(None)], [], []
    for indices, size in zip(local, array.shape):
        axis, vector = _along(indices), indices.ravel()
        held = np.flatnonzero((vector >= 0) & (vector < size))   # one run: the indices are monotonic
        if held.size == 0:
            return None
        if axis is None:
            index.append(int(vector[0]))
            continue
        first, last = int(held[0]), int(held[-1])
        step = int(vector[1] - vector[0])
        stop = int(vector[last]) + step
        where[axis] = slice(first, last + 1)
        index.append(slice(int(vector[first]), None if stop < 0 else stop, step))
        order.append(axis)
    values = array[tuple(index)]
    if order == [1, 0]:
        values = values.T
    elif order != [0, 1]:   # a frame of one row or one column (or pixel): rows x columns still
        values = values[:, None] if order == [0] else np.reshape(values, (1, -1))
    return tuple(where), values


def _position_key(position) -> tuple:
    return tuple(np.round(np.asarray(position, dtype=float), 3) + 0.0)


def sample_labels(label_map: LabelMap, grid: FrameGrid, lut: np.ndarray,
                  cancel: Optional[CancelToken] = None) -> np.ndarray:
    """``lut`` of the label value at every source pixel centre: ``(frames, rows, columns)`` of
    ``lut``'s type (segment numbers), filled a frame at a time, ``cancel`` looked at before each."""
    out = np.empty((len(grid), grid.rows, grid.cols), dtype=lut.dtype)
    for number in range(len(grid)):
        check(cancel)
        where, values = grid.sample(label_map.array, number)   # the whole frame: it lies in the map
        out[number][where] = np.take(lut, values)
    return out


def whole_frames(segment: Segment, number: int, label_map: LabelMap, grid: FrameGrid) -> Optional[Callable]:
    """A context segment's whole mask (its extent and its own voxels) at source frame ``n``, as
    a function of ``n`` and that frame's segment numbers (:func:`sample_labels`; the segment is
    ``number``); ``None`` when it keeps no extent. The extent is decoded once, at the first frame
    asked for (not while highdicom builds the SEG); one that does not fit the map adds nothing."""
    if not segment.extent:
        return None
    decoded = []

    def frame(source: int, numbers: np.ndarray) -> np.ndarray:
        whole = numbers == number
        if not decoded:
            decoded.append(extent_mask(segment.extent, label_map.shape))
        if decoded[0] is None:
            return whole
        lo, box = decoded[0]
        part = grid.sample(box, source, lo)
        if part is not None:
            where, values = part
            whole[where] |= values
        return whole
    return frame


def write_overlapping(seg, labels: np.ndarray, wholes: dict[int, Callable], grid: FrameGrid,
                      cancel: Optional[CancelToken] = None) -> tuple[bytearray, bool]:
    """``seg``'s BINARY PixelData made again (highdicom's is deleted), frame by frame in its
    Per-Frame Functional Groups' order: segment ``n``'s frame is ``labels == n`` on its source
    frame, or ``wholes[n]`` of it for a context segment; and whether any two segments overlap
    (SegmentsOverlap). pydicom takes the PixelData as ``bytes``: the caller frees ``labels``
    before that copy."""
    at_position = grid.position_index()
    items = seg.PerFrameFunctionalGroupsSequence
    pixels = grid.rows * grid.cols
    size = (len(items) * pixels + 7) // 8
    del seg.PixelData   # highdicom's frames (context segments without their whole): not kept
    data = bytearray(size + size % 2)   # the frames packed in place: no list of them, no join
    out = np.frombuffer(data, np.uint8)
    at, carry, overlap = 0, np.zeros(0, bool), False
    for item in items:
        check(cancel)
        number = int(item.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        source = at_position[_position_key(item.PlanePositionSequence[0].ImagePositionPatient)]
        if number in wholes:
            here = labels[source]
            frame = wholes[number](source, here)
            overlap = overlap or bool(np.any(frame & (here != 0) & (here != number)))
        else:
            frame = labels[source] == number
        bits = frame.ravel()
        if carry.size or pixels % 8:   # a frame ends mid-byte: the next one goes on in that byte
            bits = np.concatenate([carry, bits])
            cut = bits.size - bits.size % 8
            bits, carry = bits[:cut], bits[cut:]
        packed = np.packbits(bits, bitorder="little")
        out[at:at + packed.size] = packed
        at += packed.size
    if carry.size:
        out[at] = np.packbits(carry, bitorder="little")[0]
    del out
    if len(wholes) > 1 and not overlap:
        overlap = _wholes_overlap(wholes, labels)
    return data, overlap


def _wholes_overlap(wholes: dict[int, Callable], labels: np.ndarray) -> bool:
    """Whether two context segments' whole masks share a voxel (a frame at a time)."""
    for source in range(len(labels)):
        count = sum(whole(source, labels[source]).astype(np.uint8) for whole in wholes.values())
        if np.any(count > 1):
            return True
    return False
