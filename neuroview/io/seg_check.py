"""The memory a DICOM SEG's read needs, asked for before it is read (``seg.load_seg``).

``load_seg`` reads BINARY SEGs of a volume a frame at a time into one label map (``seg_read``):
it holds the file (its frames packed a bit a voxel) and its per-frame headers, the label map (one
byte a voxel, two past 255 segments), a decoded frame, and for a brain under the lesions its whole
mask in its bounding box (at most a byte a voxel of the volume, one brain at a time). When the
open image is not on the SEG's grid up to axis order and direction (another voxel size, a tilt),
the map is read on the SEG's grid and resampled: both maps are held, and a brain's mask is
resampled too (its mask on each grid, its box decoded, the box of the resampled one). FRACTIONAL,
LABELMAP and tiled SEGs go through highdicom's ``get_volume``: a byte a voxel of every frame, and
the volume made of them (with a brain, a float32 plane a segment, twice), always resampled onto
the image (it comes indexed slice, row, column).
The check reads the header only, so a SEG the machine cannot hold is one line, unread.
"""

from __future__ import annotations

import os
import re
from typing import Optional

import numpy as np

from ..core.errors import CorruptFileError, LoadError, NeuroviewError, private_reason
from ..core.geometry import LPS_TO_RAS
from ..core.memory import available_bytes, format_bytes, require_memory
from .compressed import check_deflated_dicom
from .dicom.elements import element_map
from .header_check import check_dimensions
from .seg_context import is_brain_description
from .seg_read import placement
from .seg_values import check_seg_values

FRAME_HEADER_BYTES = 16 << 10
"""What a frame's headers hold once read (pydicom's per-frame datasets, highdicom's frame table):
14-15 kB a frame measured with tracemalloc on 128x128 SEGs of 256 and 1024 frames."""

SEG_DEFER_SIZE = 4096
"""Header read of :func:`check_seg_file`: values bigger than this stay in the file (a frame
sequence too big for this is read when it is asked for)."""


def check_seg_file(path: str, volume=None) -> None:
    """Refuse a SEG before highdicom reads it (``segread`` is a plain ``dcmread``): a file bigger
    than half the memory available is refused unopened, a deflated one is counted against that
    bound as it inflates (:func:`check_deflated_dicom`), and what the read of the frames its
    header declares needs (:func:`seg_read_bytes`; ``volume``: the open image, whose grid the
    map is placed on) must fit in the memory available."""
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
        ds, frames, need = _checked_header(path, deflated, volume)
        require_memory(need, path, "the DICOM SEG's frames")
        per_frame = ds.PerFrameFunctionalGroupsSequence
        if len(per_frame) != frames:
            # highdicom reads NumberOfFrames frames and indexes them by the per-frame items: 0
            # frames with 4 items was an internal IndexError (``bench/kinds_fuzz.py --only seg-window``)
            raise CorruptFileError(f"NumberOfFrames is {ds.get('NumberOfFrames')}, but the SEG describes "
                                   f"{len(per_frame)} frames (damaged header)", path=path)
    except Exception as exc:  # not DICOM, truncated header, no Rows/Columns
        if ends_before_pixels(path):   # the reason, where the header's gaps were said instead
            raise CorruptFileError(CUT_SHORT, path=path) from None
        if isinstance(exc, NeuroviewError):
            raise
        raise CorruptFileError(f"not a readable DICOM SEG ({seg_words(exc, path)})", path=path) from None


CUT_SHORT = "DICOM SEG file is cut short: it ends before its pixel data (truncated or damaged)"
"""A SEG cut by a full disk or an interrupted copy read as a header with gaps: ``'FileDataset'
object has no attribute 'Rows'``, ``NumberOfFrames is 16, but the SEG describes 9 frames``."""


def _checked_header(path: str, deflated: bool, volume) -> tuple:
    """``(dataset, frames, bytes the read needs)`` of the SEG's header, its
    dimensions and geometry values checked. pydicom parses each element when it is first asked
    for: a file cut inside a sequence or a damaged value representation raise here (OSError,
    NotImplementedError), not in :func:`dcmread`."""
    import pydicom

    ds = pydicom.dcmread(path, stop_before_pixels=True, defer_size=None if deflated else SEG_DEFER_SIZE)
    rows, cols = int(ds.Rows), int(ds.Columns)
    try:   # an IS holding text: int()'s words quoted it
        frames = int(ds.get("NumberOfFrames", 1) or 1)
    except (TypeError, ValueError):
        raise CorruptFileError("the SEG's NumberOfFrames is not a whole number (damaged header; "
                               "value not shown)", path=path) from None
    check_dimensions((rows, cols, frames), path)
    check_seg_values(ds, path)
    for keyword in ("SharedFunctionalGroupsSequence", "PerFrameFunctionalGroupsSequence"):
        if keyword not in ds:   # highdicom's words: "'Segmentation' object has no attribute ..."
            raise CorruptFileError(f"the SEG has no {keyword} (damaged or stripped file)", path=path)
    return ds, frames, seg_read_bytes(ds, rows, cols, frames, volume)


def seg_words(exc: BaseException, path: str) -> str:
    """Why pydicom or highdicom could not read a damaged SEG, in words: a field missing (it was
    ``'FileDataset' object has no attribute 'Rows'``), an element unreadable at a byte, pixel data
    declaring more bytes than the file holds (a ``MemoryError`` under a memory limit, reading
    4 GB for it)."""
    past = pixels_past_end(path)
    if past:
        return past
    if isinstance(exc, AttributeError) and getattr(exc, "name", None):
        return f"it has no {exc.name}: damaged or stripped file"
    text = private_reason(exc)
    at = re.fullmatch(r"No tag to read at file position ([0-9A-Fa-f]+)", text)
    if at:
        return f"its data elements cannot be read from byte {int(at.group(1), 16)} on: damaged"
    return text


def pixels_past_end(path: str) -> str:
    """``its pixel data declares N bytes, the file ends M bytes after its start`` where it does, or "".
    """
    import pydicom

    try:
        ds = pydicom.dcmread(path, defer_size=SEG_DEFER_SIZE, specific_tags=["PixelData"])
        raw = element_map(ds).get(0x7FE00010)
        length, start = getattr(raw, "length", 0), getattr(raw, "value_tell", None)
    except Exception:  # noqa: BLE001 - pydicom's zoo: the first reason stands
        return ""
    size = os.path.getsize(path)
    if start is None or length == 0xFFFFFFFF or start + length <= size:
        return ""
    return (f"its pixel data declares {length} bytes, the file ends {max(0, size - start)} bytes "
            "after their start: truncated or damaged")


def ends_before_pixels(path: str) -> bool:
    """Whether the DICOM file at ``path`` is read to its end without meeting pixel data (a SEG
    always has it); False when it cannot be read at all."""
    import pydicom

    try:
        ds = pydicom.dcmread(path, defer_size=SEG_DEFER_SIZE, specific_tags=["PixelData"])
        return "PixelData" not in ds
    except Exception:  # noqa: BLE001 - pydicom's zoo: not a reason to give in place of the first
        return False


def seg_read_bytes(ds, rows: int, cols: int, frames: int, volume=None) -> int:
    """Bytes ``load_seg`` holds reading the SEG whose header is ``ds`` onto the grid of
    ``volume`` (``shape``, ``ijk_to_ras``; the SEG's own without one): see the module."""
    tiled = all(name in ds for name in ("TotalPixelMatrixRows", "TotalPixelMatrixColumns"))
    segments = list(ds.get("SegmentSequence", []))
    numbers = [int(item.get("SegmentNumber", 0) or 0) for item in segments]
    itemsize = 1 if max(numbers, default=0) < 256 else 2
    slices, seg_to_ras = _grid(ds, frames)
    voxels = rows * cols * slices
    placed = voxels if volume is None else int(np.prod([int(n) for n in volume.shape[:3]]))
    brain = any(is_brain_description(item) for item in segments)
    # resampled: a brain's mask on the SEG's grid, its box decoded (at most as big), the resampled
    # mask and its box copied to be encoded
    brain_resampled = 2 * (voxels + placed) if brain else 0
    if str(ds.get("SegmentationType", "")).upper() != "BINARY" or tiled:
        # highdicom's volume: every frame decoded, and the map made of it; with a brain a float32
        # plane a segment, copied once inside get_volume, and a mask a segment made of them. The
        # map, indexed (slice, row, column), is resampled onto the image's grid (even the SEG's
        # own: another axis order)
        read = 2 * rows * cols * frames + voxels * itemsize + (9 * voxels * len(segments) if brain else 0)
        return read + (0 if volume is None else placed * itemsize + brain_resampled)
    if volume is not None and (
            seg_to_ras is None or placement(seg_to_ras, volume.shape, volume.ijk_to_ras) is None):
        label_map, brain_bytes = (voxels + placed) * itemsize, brain_resampled   # both maps
    else:
        label_map, brain_bytes = placed * itemsize, voxels if brain else 0
    packed = -(-rows * cols * frames // 8)   # the pixel data dcmread holds, a bit a voxel
    return label_map + brain_bytes + packed + 2 * rows * cols + FRAME_HEADER_BYTES * frames


def _grid(ds, frames: int) -> tuple[int, Optional[np.ndarray]]:
    """``(slices, seg_to_ras)``: the slices of the volume the frames lie on (their span along
    the slice normal over the smallest step between them) and the RAS affine of its (slice, row,
    column) indices, as ``seg_read`` reads it; ``(frames, None)`` (each frame its own slice)
    where the header does not tell, or declares another number of frames than it describes."""
    try:
        if len(ds.PerFrameFunctionalGroupsSequence) != frames:
            return frames, None
        shared = ds.SharedFunctionalGroupsSequence[0] if "SharedFunctionalGroupsSequence" in ds else None
        first = ds.PerFrameFunctionalGroupsSequence[0]
        orientation = _group(first, shared, "PlaneOrientationSequence")
        cosines = np.asarray([float(x) for x in orientation.ImageOrientationPatient], float)
        spacing = [float(x) for x in _group(first, shared, "PixelMeasuresSequence").PixelSpacing]
        normal = np.cross(cosines[:3], cosines[3:])
        positions = np.asarray([[float(x) for x in _group(
            item, shared, "PlanePositionSequence").ImagePositionPatient]
            for item in ds.PerFrameFunctionalGroupsSequence], float)
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        return frames, None
    at = np.unique(np.round(positions @ normal, 3))
    if len(at) < 2:
        return max(len(at), 1), None
    step = float(np.min(np.diff(at)))   # frames missing between (empty ones) are still slices
    lps = np.eye(4)
    lps[:3, :3] = np.column_stack([normal * step, cosines[3:] * spacing[0], cosines[:3] * spacing[1]])
    lps[:3, 3] = positions[np.argmin(positions @ normal)]
    return int(round((at[-1] - at[0]) / step)) + 1, LPS_TO_RAS @ lps


def _group(item, shared, name: str) -> Optional[object]:
    """Functional group ``name`` of a frame (its own, or the shared one)."""
    if name in item:
        return item[name].value[0]
    return shared[name].value[0]
