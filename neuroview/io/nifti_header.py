"""The NIfTI-1 file ``neuroview convert`` writes, without importing nibabel.

Why not nibabel here: ``import nibabel`` costs 65-100 ms of CPU on this machine (measured with
``python -X importtime`` and per-phase CPU times of ``neuroview convert``, 2 Dec 2026), a sixth
of converting a 300-slice CT and a fifth of the 0.5 s fixed-cost goal of issue #11, spent only
to fill in 348 bytes. ``convert`` writes one kind of file: a single-file NIfTI-1 (``.nii`` or
``.nii.gz``) of an array already laid out as the file stores it, with both sform and qform set
from the volume's affine (code 1, scanner space; no qform for a sheared grid, see
:func:`neuroview.io.nifti.qform_code`) and no scaling. This module writes that header
from a numpy structured dtype, field by field as nibabel fills them (``Nifti1Image(array,
affine)``, ``set_sform(code=1)``, ``set_qform(code=1)``, ``update_header``), with nibabel's own
arithmetic for the qform (zooms, qfac, polar decomposition, quaternion): the bytes are those
nibabel writes for the same image (tested byte for byte, and read back by nibabel field by
field). Anything else (another dtype, an array not in Fortran order, a big-endian machine) is
left to nibabel by the caller; the rest of neuroview reads and writes NIfTI through nibabel
(:mod:`neuroview.io.nifti`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.atomic import atomic_path
from ..core.errors import SaveError
from .nifti import gzip_writer, qform_code

HEADER_DTYPE = np.dtype([
    ("sizeof_hdr", "<i4"), ("data_type", "S10"), ("db_name", "S18"), ("extents", "<i4"),
    ("session_error", "<i2"), ("regular", "S1"), ("dim_info", "u1"), ("dim", "<i2", (8,)),
    ("intent_p1", "<f4"), ("intent_p2", "<f4"), ("intent_p3", "<f4"), ("intent_code", "<i2"),
    ("datatype", "<i2"), ("bitpix", "<i2"), ("slice_start", "<i2"), ("pixdim", "<f4", (8,)),
    ("vox_offset", "<f4"), ("scl_slope", "<f4"), ("scl_inter", "<f4"), ("slice_end", "<i2"),
    ("slice_code", "u1"), ("xyzt_units", "u1"), ("cal_max", "<f4"), ("cal_min", "<f4"),
    ("slice_duration", "<f4"), ("toffset", "<f4"), ("glmax", "<i4"), ("glmin", "<i4"),
    ("descrip", "S80"), ("aux_file", "S24"), ("qform_code", "<i2"), ("sform_code", "<i2"),
    ("quatern_b", "<f4"), ("quatern_c", "<f4"), ("quatern_d", "<f4"),
    ("qoffset_x", "<f4"), ("qoffset_y", "<f4"), ("qoffset_z", "<f4"),
    ("srow_x", "<f4", (4,)), ("srow_y", "<f4", (4,)), ("srow_z", "<f4", (4,)),
    ("intent_name", "S16"), ("magic", "S4"),
])
"""The 348-byte NIfTI-1 header, little endian."""

VOX_OFFSET = 352
"""348 header bytes and 4 extension-flag bytes (no extensions), as nibabel writes."""

DATATYPES = {
    np.dtype("uint8"): 2, np.dtype("int16"): 4, np.dtype("int32"): 8, np.dtype("float32"): 16,
    np.dtype("float64"): 64, np.dtype("int8"): 256, np.dtype("uint16"): 512,
    np.dtype("uint32"): 768,
}
"""NIfTI-1 datatype codes of the dtypes ``convert`` writes (the NIfTI-1 standard's table)."""

MM_AND_SECONDS = 2 | 8
"""xyzt_units of a run with its time between volumes (NIFTI_UNITS_MM | NIFTI_UNITS_SEC)."""

SCANNER = 1
"""qform/sform code 1: scanner-based anatomical coordinates (what ``save_nifti`` sets)."""


def _quaternion(rotation: np.ndarray) -> np.ndarray:
    """nibabel's ``quaternions.mat2quat`` (Bar-Itzhack), step for step: (w, x, y, z), w >= 0."""
    qxx, qyx, qzx, qxy, qyy, qzy, qxz, qyz, qzz = rotation.flat
    k = np.array([
        [qxx - qyy - qzz, 0, 0, 0],
        [qyx + qxy, qyy - qxx - qzz, 0, 0],
        [qzx + qxz, qzy + qyz, qzz - qxx - qyy, 0],
        [qyz - qzy, qzx - qxz, qxy - qyx, qxx + qyy + qzz],
    ]) / 3.0
    values, vectors = np.linalg.eigh(k)
    q = vectors[[3, 0, 1, 2], np.argmax(values)]
    if q[0] < 0:
        q *= -1
    return q


def nifti1_header(shape: tuple[int, ...], dtype: np.dtype, ijk_to_ras: np.ndarray,
                  frame_interval_s: float = 0.0) -> Optional[bytes]:
    """The 352 bytes before the voxels of a ``.nii`` holding an array of ``shape`` and ``dtype``
    at ``ijk_to_ras``, as ``neuroview.io.nifti.save_nifti`` (nibabel) writes them; None where
    this writer does not apply (a dtype outside :data:`DATATYPES`, more than 7 dimensions).
    ``frame_interval_s``: a 4D run's seconds between volumes, written as dcm2niix writes it
    (``pixdim[4]``, units mm and s)."""
    dtype = np.dtype(dtype)
    # little-endian voxels only: the header below is little endian (nibabel writes the machine's
    # order, so on a big-endian machine this writer leaves the file to nibabel)
    code = DATATYPES.get(dtype) if dtype.isnative and sys.byteorder == "little" else None
    if code is None or not 1 <= len(shape) <= 7:
        return None
    affine = np.asarray(ijk_to_ras, dtype=np.float64)
    if affine.shape != (4, 4) or not np.all(np.isfinite(affine)):
        return None
    header = np.zeros((), dtype=HEADER_DTYPE)
    header["sizeof_hdr"] = 348
    header["dim"] = 1
    header["dim"][0] = len(shape)
    header["dim"][1:len(shape) + 1] = shape
    header["datatype"], header["bitpix"] = code, dtype.itemsize * 8
    header["pixdim"] = 1
    header["vox_offset"] = VOX_OFFSET
    header["scl_slope"], header["scl_inter"] = 1.0, 0.0
    header["sform_code"] = SCANNER
    header["qform_code"] = qform_code(shape, affine)
    header["srow_x"], header["srow_y"], header["srow_z"] = affine[0], affine[1], affine[2]
    # the qform as nibabel's Nifti1Header.set_qform computes it, from the affine as the image
    # holds it once its sform is set: the float32 sform rows read back as float64
    stored = np.eye(4)
    stored[:3] = np.stack([header["srow_x"], header["srow_y"], header["srow_z"]])
    rzs = stored[:3, :3]
    zooms = np.sqrt(np.sum(rzs * rzs, axis=0))
    rotation = rzs / zooms
    if np.linalg.det(rotation) > 0:
        qfac = 1
    else:
        qfac = -1
        rotation[:, -1] *= -1
    try:
        p, _, qs = np.linalg.svd(rotation)
    except np.linalg.LinAlgError:
        return None
    quaternion = _quaternion(np.dot(p, qs))
    header["pixdim"][0] = qfac
    header["pixdim"][1:4] = zooms
    if header["qform_code"]:  # else left 0, as save_nifti leaves a sheared grid's
        header["qoffset_x"], header["qoffset_y"], header["qoffset_z"] = stored[:3, 3]
        header["quatern_b"], header["quatern_c"], header["quatern_d"] = quaternion[1:]
    if frame_interval_s > 0 and len(shape) == 4:
        header["pixdim"][4], header["xyzt_units"] = frame_interval_s, MM_AND_SECONDS
    header["magic"] = b"n+1"
    return header.tobytes() + bytes(VOX_OFFSET - HEADER_DTYPE.itemsize)


def write_converted(array: np.ndarray, ijk_to_ras: np.ndarray, path: str | os.PathLike,
                    frame_interval_s: float = 0.0) -> bool:
    """Write ``array`` at ``ijk_to_ras`` to ``path`` (.nii or .nii.gz) as ``save_nifti(...,
    durable=False)`` does (atomic, not fsynced: a derived file), header and voxels in one write
    each (``frame_interval_s``: see :func:`nifti1_header`). False, writing nothing, where this
    writer does not apply: the caller uses nibabel."""
    path = Path(path)
    lower = str(path).lower()
    if not lower.endswith((".nii", ".nii.gz")):
        return False
    array = np.asarray(array)
    if array.ndim == 0 or array.size == 0 or not array.flags.f_contiguous:
        return False
    head = nifti1_header(array.shape, array.dtype, ijk_to_ras, frame_interval_s)
    if head is None:
        return False
    try:
        with atomic_path(path, durable=False) as tmp:
            _write_file(tmp, head, array, gzipped=lower.endswith(".gz"))
    except OSError as exc:
        raise SaveError(f"cannot write file ({exc.strerror or exc})", path=path) from None
    return True


def _write_file(tmp: Path, head: bytes, array: np.ndarray, gzipped: bool) -> None:
    with gzip_writer(tmp, array.nbytes) if gzipped else open(tmp, "wb") as handle:
        handle.write(head)
        # array.T is C-contiguous and its bytes run i fastest, as NIfTI stores voxels
        handle.write(memoryview(array.T).cast("B"))
