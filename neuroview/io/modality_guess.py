"""What to call an image whose file names no modality: a NIfTI/NRRD whose voxels read as
Hounsfield units is listed as a CT, by ``neuroview info`` and by the window's series chooser
alike (one rule, here)."""

from __future__ import annotations

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
    raw, gzip or bzip2 NRRD by as many (``io.nrrd_sample``), where it was read whole."""
    if candidate.modality or candidate.source_format == "DICOM" or len(candidate.shape) != 3:
        return ""
    try:
        if _voxel_bytes(candidate) > READ_AT_MOST:
            return ""
        from ..core.modality import looks_like_ct

        if candidate.source_format == "NRRD":
            from .nrrd_sample import sampled_nrrd_slices

            sample = sampled_nrrd_slices(candidate.key, SAMPLED_SLICES)
            if sample is None:   # text voxels, a line skip: read whole, as the window reads it
                return CT_FROM_VALUES if candidate.load().voxels_look_like_ct() else ""
            return CT_FROM_VALUES if looks_like_ct(sample) else ""
        return CT_FROM_VALUES if looks_like_ct(sampled_slices(candidate.key)) else ""
    except (NeuroviewError, OSError, ValueError, EOFError, MemoryError, zlib.error):
        return ""   # a damaged file: the listing goes by its header


def sampled_slices(path) -> np.ndarray:
    """Up to :data:`SAMPLED_SLICES` slices of a 3D NIfTI/MGH file, evenly spaced along its last
    axis (the file's slowest: each slice is one contiguous read), as ``[i, j, n]`` values after
    the header's scaling, in one slicing of nibabel's proxy, which reads only those. A compressed
    file is inflated up to the last slice taken, so its slices come from its first half, up to
    the centre (where the anatomy is): half the inflating."""
    from .nifti import open_nifti

    img, _ = open_nifti(path)
    n = int(img.shape[2])
    end = n // 2 + 1 if str(path).lower().endswith((".gz", ".mgz")) else n
    step = max(1, -(-end // SAMPLED_SLICES))
    return np.asanyarray(img.dataobj[:, :, end - 1::-step])


def _voxel_bytes(candidate) -> int:
    if candidate.source_format == "NRRD":
        from .nrrd import read_nrrd_header

        return read_nrrd_header(candidate.key)[2]
    from .nifti import open_nifti

    return open_nifti(candidate.key)[1]
