"""What neuroview before session 32 (274d57b0, session 31's last commit) named a padded DICOM
series' workspace by: the sampled key (its ``core/journal_records.image_key``) of the voxels its
reader gave, the padding rescaled as any other stored value (session 32 reads it as air). Rebuilt
here from the files with pydicom, for the tests of the crash journal's older keys."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pydicom
from ct_maker import write_ct

SERIES = {
    # name: write_ct's arguments (and whether the fourth of 7 slices is missing), the dtype
    # 274d57b0 read the series as, and the workspace name it gave the series (its own run: load,
    # paint, SIGKILL, the folder's name)
    "GE signed -2000": (dict(padding=-2000), False, np.int16, "0909abf9005b37ba39ca7a0ec799ebc4"),
    "unsigned 63536": (dict(unsigned=True, padding=63536), False, np.int32,
                       "d5e2c8c84a2261d76ab51053804c912b"),
    "fractional rescale": (dict(padding=-4000, slope=0.5, intercept=-1024.25), False, np.float32,
                           "fde56a96e32680aa0a1a3e54ac270fd7"),
    "padding range": (dict(padding=-2000, range_limit=-1500), False, np.int16,
                      "0d785967de40a7f345d0f80f6ef4c7d0"),
    "no rescale": (dict(padding=-2000, intercept=0), False, np.int16,
                   "4471196510dce1bb67a2423667ab0a49"),
    "MR padded above": (dict(padding=30000, modality="MR", intercept=0), False, np.int16,
                        "69cdd3f5380f5a4ba6bb82ffa1ad0369"),
    "missing slice": (dict(padding=-2000), True, np.int16, "a868036a2d8630840e8d05ca1c316650"),
    "missing slice, unsigned": (dict(unsigned=True, padding=63536), True, np.int32,
                                "166d83427d76ed17dcaa8e108482ea1c"),
    "missing slice, fractional": (dict(padding=-4000, slope=0.5, intercept=-1024.25), True,
                                  np.float32, "ab0ca847404692156b3f162403ebb20e"),
}


def write_series(folder: Path, kind: str) -> Path:
    """``kind``'s series (:data:`SERIES`) written into ``folder``, as ct_maker writes a CT."""
    arguments, missing, _, _ = SERIES[kind]
    write_ct(folder, n_slices=7 if missing else 6, **arguments)
    if missing:
        (folder / "CT003.dcm").unlink()
    return folder


def read_before_session_32(folder: Path, dtype) -> np.ndarray:
    """The voxels neuroview's reader gave the series before session 32 (274d57b0's io/dicom/load.py):
    every stored value rescaled, the padding too, indexed [column, row, slice] from the lowest
    slice up; integers rescaled in int64 into the dtype their range needs, fractional rescales in
    float32 (stored * float32 slope, + float32 intercept); a missing slice interpolated between
    its neighbours (integers rounded half away from zero, as its io/dicom/uneven.py)."""
    files = sorted((pydicom.dcmread(p) for p in folder.glob("*.dcm")),
                   key=lambda ds: float(ds.ImagePositionPatient[2]))
    slices = []
    for ds in files:
        stored = ds.pixel_array.T
        slope, intercept = float(ds.RescaleSlope), float(ds.RescaleIntercept)
        if slope.is_integer() and intercept.is_integer():
            slices.append((stored.astype(np.int64) * int(slope) + int(intercept)).astype(dtype))
        else:
            slices.append(stored.astype(np.float32) * np.float32(slope) + np.float32(intercept))
    z = [float(ds.ImagePositionPatient[2]) for ds in files]
    step = float(np.median(np.diff(z)))
    for at in np.arange(z[0], z[-1], step):            # a gap: the slice between its neighbours
        if not np.isclose(z, at).any():
            upper = int(np.searchsorted(z, at))
            w = (at - z[upper - 1]) / (z[upper] - z[upper - 1])
            mixed = (1 - w) * slices[upper - 1].astype(np.float64) + w * slices[upper]
            if np.dtype(dtype).kind in "iu":
                mixed = np.sign(mixed) * np.floor(np.abs(mixed) + 0.5)
            slices.insert(upper, mixed.astype(dtype))
            z.insert(upper, float(at))
    return np.stack(slices, axis=2).astype(dtype)


def sampled_key_before_session_33(array: np.ndarray, affine: np.ndarray) -> str:
    """274d57b0's core/journal_records.image_key, copied: shape, dtype, affine and 4,096 voxels."""
    digest = hashlib.sha256()
    digest.update(repr(tuple(array.shape)).encode())
    digest.update(str(array.dtype).encode())
    digest.update(np.round(np.asarray(affine, dtype=float), 4).tobytes())
    size = int(np.prod(array.shape))
    flat = np.unique(np.linspace(0, size - 1, num=min(4096, size)).astype(np.int64))
    digest.update(np.ascontiguousarray(array[np.unravel_index(flat, array.shape)]).tobytes())
    return digest.hexdigest()[:32]
