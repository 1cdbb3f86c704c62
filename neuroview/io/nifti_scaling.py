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
import os
import zlib

import numpy as np

from ..core.errors import CorruptFileError
from ..core.jobs import check, report
from .compressed import REPORT_BYTES
from .header_check import require_voxel_memory
from .nifti_stream import stored_chunks

FLOAT32_MAX = float(np.finfo(np.float32).max)
FLOAT64_MAX = float(np.finfo(np.float64).max)
CHUNK = 1 << 20
"""Voxels looked at per step when finding the largest stored float: bounds the temporaries."""


def _largest_finite(chunks) -> float:
    """The largest finite magnitude among the values of ``chunks`` (0 when none is finite)."""
    largest = 0.0
    for chunk in chunks:
        chunk = np.abs(chunk)
        chunk = chunk[np.isfinite(chunk)]
        if chunk.size:
            largest = max(largest, float(chunk.max()))
    return largest


def _stored_reach(img, path: str) -> float:
    """The largest magnitude a stored voxel has (integers: the type's limit, no voxel read)."""
    dtype = np.dtype(img.get_data_dtype())
    if dtype.kind in "iu":
        limits = np.iinfo(dtype)
        return float(max(abs(int(limits.min)), int(limits.max)))
    if dtype.kind != "f":
        return 0.0  # complex or RGB: nibabel refuses to scale them itself
    chunks = stored_chunks(img, path)   # a .nii.gz inflated twice, never held whole unscaled
    if chunks is None:
        flat = np.asanyarray(img.dataobj.get_unscaled()).reshape(-1, order="A")
        chunks = (flat[start:start + CHUNK] for start in range(0, flat.size, CHUNK))
    return _largest_finite(chunks)


def scaled_voxels(img, slope, inter, path: str, progress=None, cancel=None) -> np.ndarray:
    """The voxels times ``slope`` plus ``inter`` (nibabel's ``dataobj.slope``/``.inter``; None:
    1 and 0): float32 when every scaled value fits there, else float64; past float64,
    :class:`CorruptFileError` naming the file."""
    slope = 1.0 if slope is None else float(slope)
    inter = 0.0 if inter is None else float(inter)
    stored = _stored_reach(img, path)
    reach = abs(slope) * stored + abs(inter)  # Python floats: inf past float64, no warning
    if not math.isfinite(reach):
        raise CorruptFileError(
            f"scl_slope {slope:g} and scl_inter {inter:g} scale the voxels (stored up to "
            f"{stored:g}) past the largest number a float64 holds ({FLOAT64_MAX:.3g}): the header's "
            "scaling is damaged", path=path)
    if reach <= FLOAT32_MAX:
        return _scaled_in_chunks(img, path, np.dtype(np.float32), progress, cancel)
    require_voxel_memory(math.prod(img.shape) * 8, path)
    return _scaled_in_chunks(img, path, np.dtype(np.float64), progress, cancel)


def _scaled_in_chunks(img, path: str, dtype: np.dtype, progress=None, cancel=None) -> np.ndarray:
    """``img.get_fdata(dtype=dtype)``, the same numbers, made a chunk of stored voxels at a time
    (:func:`.nifti_stream.stored_chunks`) straight into the array returned: nibabel holds the
    stored image, the scaled one in float64 and then ``dtype`` (949 MiB at the peak for the
    316 MiB of float32 of a 96x96x60x150 int16 fMRI; 318 MiB so). nibabel's own
    ``apply_read_scaling`` scales each chunk, with the slope and intercept in the types
    ``ArrayProxy`` gives them (its float type is chosen by the types, not the values, so a
    chunk is scaled as the whole image is). Files it cannot stream go through ``get_fdata``.
    ``progress`` hears the voxels scaled (about every 8 MiB stored) and ``cancel`` is looked at
    between chunks (``core.jobs``)."""
    from nibabel.volumeutils import apply_read_scaling

    chunks = stored_chunks(img, path)
    if chunks is None:
        return img.get_fdata(dtype=dtype)
    slope, inter = np.asanyarray(img.dataobj.slope), np.asanyarray(img.dataobj.inter)
    if np.can_cast(slope, dtype):   # as nibabel's ArrayProxy._get_scaled for a dtype asked for
        slope = slope.astype(dtype)
    if np.can_cast(inter, dtype):
        inter = inter.astype(dtype)
    out = np.empty(img.shape, dtype=dtype, order="F")
    flat = out.reshape(-1, order="F")   # a view: ``out`` is Fortran-ordered
    done, text = 0, f"Loading {os.path.basename(path)}"
    every = max(REPORT_BYTES // np.dtype(img.get_data_dtype()).itemsize, 1)   # voxels stored
    report(progress, 0, flat.size, text)
    for chunk in chunks:
        check(cancel)
        flat[done:done + chunk.size] = apply_read_scaling(chunk, slope, inter)
        done += chunk.size
        if done % every < chunk.size or done == flat.size:
            report(progress, done, flat.size, text)
    return out


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
        with ImageOpener(holder.filename) as handle:   # the fields alone: no extensions, whose
            block = handle.read(header_class.template_dtype.itemsize)   # odd size nibabel warns of
        header = header_class(block, check=False)   # (nibabel guesses the byte order)
        slope, inter = float(header["scl_slope"]), float(header["scl_inter"])
    except (OSError, EOFError, ValueError, zlib.error):
        return ""
    if math.isfinite(slope):
        return ""
    return (f"scl_slope {slope:g} cannot scale voxels: read as stored, scl_inter {inter:g} "
            "not applied either (as nibabel reads it)")
