"""A NIfTI file's scl_slope and scl_inter applied to its voxels without overflow.

nibabel applies them (``get_fdata``) in the float type asked for. float32 holds values up to
3.4e38: a slope of 1e38 on float32 voxels of 5 (or on int16 ones) gave voxels of infinity, with
numpy's overflow warnings on the terminal. Here the scaled values' reach (the largest stored
magnitude times the slope, plus the intercept) chooses float32 or float64; a reach past float64
(a NIfTI-2 slope of 1e308) is one line naming the file. A slope of NaN or infinity is not
applied (nor the intercept) by nibabel, as a slope of 0 is not: the voxels are read as stored,
with a warning saying so (an intercept of NaN or infinity beside a usable slope is refused by
nibabel when the header is read: one line naming the file).
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from ..core.errors import CorruptFileError
from .header_check import require_voxel_memory

FLOAT32_MAX = float(np.finfo(np.float32).max)
FLOAT64_MAX = float(np.finfo(np.float64).max)
CHUNK = 1 << 24
"""Voxels looked at per step when finding the largest stored float: bounds the temporaries."""


def _largest_finite(raw: np.ndarray) -> float:
    """The largest finite magnitude among ``raw``'s values (0 when none is finite)."""
    flat = raw.reshape(-1, order="A")  # a view of a memory-mapped file: read a chunk at a time
    largest = 0.0
    for start in range(0, flat.size, CHUNK):
        chunk = np.abs(flat[start:start + CHUNK])
        chunk = chunk[np.isfinite(chunk)]
        if chunk.size:
            largest = max(largest, float(chunk.max()))
    return largest


def _stored_reach(img) -> float:
    """The largest magnitude a stored voxel has (integers: the type's limit, no voxel read)."""
    dtype = np.dtype(img.get_data_dtype())
    if dtype.kind in "iu":
        limits = np.iinfo(dtype)
        return float(max(abs(int(limits.min)), int(limits.max)))
    if dtype.kind != "f":
        return 0.0  # complex or RGB: nibabel refuses to scale them itself
    return _largest_finite(np.asanyarray(img.dataobj.get_unscaled()))


def scaled_voxels(img, slope, inter, path: str) -> np.ndarray:
    """The voxels times ``slope`` plus ``inter`` (nibabel's ``dataobj.slope``/``.inter``; None:
    1 and 0): float32 when every scaled value fits there, else float64; past float64,
    :class:`CorruptFileError` naming the file."""
    slope = 1.0 if slope is None else float(slope)
    inter = 0.0 if inter is None else float(inter)
    stored = _stored_reach(img)
    reach = abs(slope) * stored + abs(inter)  # Python floats: inf past float64, no warning
    if not math.isfinite(reach):
        raise CorruptFileError(
            f"scl_slope {slope:g} and scl_inter {inter:g} scale the voxels (stored up to "
            f"{stored:g}) past the largest number a float64 holds ({FLOAT64_MAX:.3g}): the header's "
            "scaling is damaged", path=path)
    if reach <= FLOAT32_MAX:
        return img.get_fdata(dtype=np.float32)
    require_voxel_memory(math.prod(img.shape) * 8, path)
    return img.get_fdata(dtype=np.float64)


def unused_slope_warning(img) -> str:
    """For a NIfTI file whose scl_slope is NaN or infinite: the warning that its voxels are
    read as stored (``""`` otherwise, and for other formats). nibabel's image keeps a header
    whose scaling it has reset to NaN: the file's own header is read again (its first bytes)."""
    from nibabel.nifti1 import Nifti1Header
    from nibabel.openers import ImageOpener

    header_class = getattr(img, "header_class", None)
    if header_class is None or not issubclass(header_class, Nifti1Header):
        return ""  # MGH, Analyze 7.5: no scl_slope
    holder = img.file_map.get("header") or img.file_map["image"]  # a pair's .hdr, else the file
    try:  # (read once already, by nibabel: a failure here is the file changing meanwhile)
        with ImageOpener(holder.filename) as handle:
            header = header_class.from_fileobj(handle, check=False)
        slope, inter = float(header["scl_slope"]), float(header["scl_inter"])
    except (OSError, EOFError, ValueError, zlib.error):
        return ""
    if math.isfinite(slope):
        return ""
    return (f"scl_slope {slope:g} cannot scale voxels: read as stored, scl_inter {inter:g} "
            "not applied either (as nibabel reads it)")
