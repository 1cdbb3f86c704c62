"""The memory a DICOM SEG's read needs, asked for before it is read (``seg.load_seg``).

``load_seg`` reads BINARY SEGs of a volume a frame at a time into one label map (``seg_read``):
it holds the file (its frames packed a bit a voxel) and its per-frame headers, the label map (one
byte a voxel, two past 255 segments), a decoded frame, and for a brain under the lesions its whole
mask in its bounding box (at most a byte a voxel of the volume, one brain at a time). FRACTIONAL,
LABELMAP and tiled SEGs go through highdicom's ``get_volume``: a byte a voxel of every frame, and
the volume made of them. The check reads the header only, so a SEG the machine cannot hold is
one line, unread.
"""

from __future__ import annotations

import os
from typing import Optional

import numpy as np

from ..core.errors import CorruptFileError, LoadError, first_line
from ..core.memory import available_bytes, format_bytes, require_memory
from .compressed import check_deflated_dicom
from .header_check import check_dimensions
from .seg_context import is_brain_description

FRAME_HEADER_BYTES = 16 << 10
"""What a frame's headers hold once read (pydicom's per-frame datasets, highdicom's frame table):
14-15 kB a frame measured with tracemalloc on 128x128 SEGs of 256 and 1024 frames."""

SEG_DEFER_SIZE = 4096
"""Header read of :func:`check_seg_file`: values bigger than this stay in the file (a frame
sequence too big for this is read when it is asked for)."""


def check_seg_file(path: str, volume_shape=None) -> None:
    """Refuse a SEG before highdicom reads it (``segread`` is a plain ``dcmread``): a file bigger
    than half the memory available is refused unopened, a deflated one is counted against that
    bound as it inflates (:func:`check_deflated_dicom`), and what the read of the frames its
    header declares needs (:func:`seg_read_bytes`; ``volume_shape``: the open image's grid the
    map is placed on) must fit in the memory available."""
    import pydicom

    available = available_bytes()
    limit = None if available is None else available // 2
    size = os.path.getsize(path)
    if limit is not None and size > limit:
        raise LoadError(f"a DICOM SEG of {format_bytes(size)}, more than the {format_bytes(limit)} "
                        "neuroview reads with the memory available", path=path,
                        hint="if it is right, open it on a machine with more memory "
                             "(or raise NEUROVIEW_MEMORY_LIMIT)")
    deflated = check_deflated_dicom(path)  # the same bound, counted as it inflates
    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True,
                             defer_size=None if deflated else SEG_DEFER_SIZE)
        rows, cols = int(ds.Rows), int(ds.Columns)
        frames = int(ds.get("NumberOfFrames", 1) or 1)
    except Exception as exc:  # not DICOM, truncated header, no Rows/Columns
        raise CorruptFileError(f"not a readable DICOM SEG ({first_line(exc)})", path=path) from None
    check_dimensions((rows, cols, frames), path)
    require_memory(seg_read_bytes(ds, rows, cols, frames, volume_shape), path,
                   "the DICOM SEG's frames")


def seg_read_bytes(ds, rows: int, cols: int, frames: int, volume_shape=None) -> int:
    """Bytes ``load_seg`` holds reading the SEG whose header is ``ds`` (see the module)."""
    tiled = all(name in ds for name in ("TotalPixelMatrixRows", "TotalPixelMatrixColumns"))
    if str(ds.get("SegmentationType", "")).upper() != "BINARY" or tiled:
        return 2 * rows * cols * frames   # highdicom's volume: every frame decoded, and the volume
    segments = list(ds.get("SegmentSequence", []))
    numbers = [int(item.get("SegmentNumber", 0) or 0) for item in segments]
    itemsize = 1 if max(numbers, default=0) < 256 else 2
    slices = _slices(ds, frames)
    voxels = rows * cols * slices
    label_map = voxels * itemsize
    if volume_shape is not None:   # placed on the open image's grid; resampled when not its own
        placed = int(np.prod([int(n) for n in volume_shape[:3]])) * itemsize
        same = sorted(int(n) for n in volume_shape[:3]) == sorted((rows, cols, slices))
        label_map = placed if same else label_map + placed
    brain = voxels if any(is_brain_description(item) for item in segments) else 0
    packed = -(-rows * cols * frames // 8)   # the pixel data dcmread holds, a bit a voxel
    return label_map + brain + packed + 2 * rows * cols + FRAME_HEADER_BYTES * frames


def _slices(ds, frames: int) -> int:
    """Slices of the volume the frames lie on: their span along the slice normal over the
    smallest step between them; ``frames`` (each frame its own slice) where the header does not
    tell, or declares another number of frames than it describes."""
    try:
        if len(ds.PerFrameFunctionalGroupsSequence) != frames:
            return frames
        shared = ds.SharedFunctionalGroupsSequence[0] if "SharedFunctionalGroupsSequence" in ds else None
        orientation = _group(ds.PerFrameFunctionalGroupsSequence[0], shared, "PlaneOrientationSequence")
        cosines = np.asarray([float(x) for x in orientation.ImageOrientationPatient], float)
        normal = np.cross(cosines[:3], cosines[3:])
        at = np.unique(np.round([normal @ [float(x) for x in _group(
            item, shared, "PlanePositionSequence").ImagePositionPatient]
            for item in ds.PerFrameFunctionalGroupsSequence], 3))
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        return frames
    if len(at) < 2:
        return max(len(at), 1)
    step = float(np.min(np.diff(at)))   # frames missing between (empty ones) are still slices
    return int(round((at[-1] - at[0]) / step)) + 1


def _group(item, shared, name: str) -> Optional[object]:
    """Functional group ``name`` of a frame (its own, or the shared one)."""
    if name in item:
        return item[name].value[0]
    return shared[name].value[0]
