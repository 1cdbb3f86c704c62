"""What to call an image whose file names no modality: a NIfTI/NRRD whose voxels read as
Hounsfield units is listed as a CT, by ``neuroview info`` and by the window's series chooser
alike (one rule, here)."""

from __future__ import annotations

import copy
import zlib

import numpy as np

from ..core.errors import NeuroviewError

CT_FROM_VALUES = "CT (from its values)"
"""What ``info`` and the series chooser say of an image whose file names no modality (a NIfTI)
but whose voxels read as Hounsfield units (``Volume.voxels_look_like_ct``): the window offers it
the CT presets and shows its values in HU. They said ``-``."""


READ_AT_MOST = 512 << 20
"""Voxel bytes of a file whose values ``info`` and the chooser judge (a 512x512x1000 int16 CT
holds 500 MiB); a larger file is listed from its header alone, as before."""
SAMPLED_SLICES = 16
"""Slices of a NIfTI read to tell a CT by its values: evenly spaced along its last axis (8 MiB of
a 512x512 int16 CT), where the whole file was read (1.0 s of CPU and 292 MiB for a .nii.gz of
512x512x400, before the chooser could appear; now 0.46 s and 90 MiB)."""


def guessed_modality(candidate) -> str:
    """:data:`CT_FROM_VALUES` for a 3D volume file with no modality whose voxels read as a CT
    (:func:`neuroview.core.modality.looks_like_ct`, as the window reads them), else ""; a 4D file
    (its time points may fill gigabytes), one over :data:`READ_AT_MOST` and a file that cannot be
    read are not judged. A NIfTI/MGH is judged by :data:`SAMPLED_SLICES` of its slices, read
    through nibabel's array proxy (scaled by the header's scl_slope/inter), not by all of it; a
    raw, gzip or bzip2 NRRD by as many (``io.nrrd_sample``), where it was read whole. A NIfTI/MGH
    whose header's integer type cannot hold HU (:func:`may_hold_hu`) is judged by its header."""
    if candidate.modality or candidate.source_format == "DICOM" or len(candidate.shape) != 3:
        return ""
    try:
        from ..core.modality import looks_like_ct

        if candidate.source_format == "NRRD":
            from .nrrd import read_nrrd_header
            from .nrrd_sample import sampled_nrrd_slices

            if read_nrrd_header(candidate.key)[2] > READ_AT_MOST:
                return ""
            sample = sampled_nrrd_slices(candidate.key, SAMPLED_SLICES)
            if sample is None:   # text voxels, a line skip: read whole, as the window reads it
                return CT_FROM_VALUES if candidate.load().voxels_look_like_ct() else ""
            return CT_FROM_VALUES if looks_like_ct(sample) else ""
        from .nifti import open_nifti
        from .nifti_voxels import complex_as_magnitude

        img, nbytes = open_nifti(candidate.key)
        if nbytes > READ_AT_MOST or not may_hold_hu(img):
            return ""
        sample, _ = complex_as_magnitude(sampled_slices(candidate.key, img), candidate.key)
        return CT_FROM_VALUES if looks_like_ct(sample) else ""   # a complex one: as the window shows it
    except (NeuroviewError, OSError, ValueError, EOFError, MemoryError, zlib.error):
        return ""   # a damaged file: the listing goes by its header


def may_hold_hu(img) -> bool:
    """Whether the values a NIfTI/MGH header lets its voxels take (its integer type's range,
    scaled by its slope and intercept) could read as a CT: some at or below -5 HU (air near -1000,
    or fat and noise below 0 in a CT cropped to the head: ``core.modality``) and some at dense
    bone's :data:`~neuroview.core.modality.BONE_HU`. An unscaled uint8 or uint16 image (FreeSurfer's
    ``T1.mgz``, many MRs) cannot: it is judged with no voxel read. A float type always may."""
    from ..core.modality import BONE_HU

    dtype = np.dtype(img.dataobj.dtype)
    if dtype.kind not in "ui":
        return True
    slope = float(getattr(img.dataobj, "slope", 1.0))
    inter = float(getattr(img.dataobj, "inter", 0.0))
    ends = [inter + slope * float(v) for v in (np.iinfo(dtype).min, np.iinfo(dtype).max)]
    return not np.all(np.isfinite(ends)) or (min(ends) < -5.0 and max(ends) >= BONE_HU)


def sampled_slices(path, img=None) -> np.ndarray:
    """Up to :data:`SAMPLED_SLICES` slices of a 3D NIfTI/MGH file (``img``: it opened by
    ``open_nifti``), evenly spaced along its last axis (the file's slowest: each slice is one
    contiguous read), as ``[i, j, n]`` values after the header's scaling, in one slicing of
    nibabel's proxy, which reads only those. A compressed file is inflated up to the last slice
    taken, so its slices come from its first half, up to the centre (where the anatomy is): half
    the inflating, through ISA-L's igzip (the proxy reading that stream, not Python's gzip: 27 ms
    -> 14 ms for a 256^3 int16 head, ``bench/ct_guess_read.py``)."""
    from .nifti import open_nifti

    if img is None:
        img, _ = open_nifti(path)
    n = int(img.shape[2])
    compressed = str(path).lower().endswith((".gz", ".mgz"))
    end = n // 2 + 1 if compressed else n
    step = max(1, -(-end // SAMPLED_SLICES))
    if not compressed:
        return np.asanyarray(img.dataobj[:, :, end - 1::-step])
    try:
        from isal import igzip, isal_zlib
    except ImportError:  # pragma: no cover - isal is a dependency
        return np.asanyarray(img.dataobj[:, :, end - 1::-step])
    proxy = copy.copy(img.dataobj)   # its shape, type, offset and scaling; ISA-L's stream
    try:
        with igzip.open(path, "rb") as stream:
            proxy.file_like = stream
            return np.asanyarray(proxy[:, :, end - 1::-step])
    except isal_zlib.error as exc:   # a damaged stream, as zlib says it (no OSError: its own)
        raise zlib.error(str(exc)) from None

