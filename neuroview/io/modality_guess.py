"""What to call an image whose file names no modality: a NIfTI/NRRD whose voxels read as
Hounsfield units is listed as a CT, by ``neuroview info`` and by the window's series chooser
alike (one rule, here)."""

from __future__ import annotations

from ..core.errors import NeuroviewError

CT_FROM_VALUES = "CT (from its values)"
"""What ``info`` and the series chooser say of an image whose file names no modality (a NIfTI)
but whose voxels read as Hounsfield units (``Volume.voxels_look_like_ct``): the window offers it
the CT presets and shows its values in HU. They said ``-``."""


READ_AT_MOST = 512 << 20
"""Voxel bytes ``info`` reads to tell a CT by its values (a 512x512x1000 int16 CT holds 500 MiB);
a larger file is listed from its header alone, as before."""


def guessed_modality(candidate) -> str:
    """:data:`CT_FROM_VALUES` for a 3D volume file with no modality whose voxels read as a CT
    (read as the window reads them), else ""; a 4D file (its time points may fill gigabytes), one
    over :data:`READ_AT_MOST` and a file that cannot be read are not judged."""
    if candidate.modality or candidate.source_format == "DICOM" or len(candidate.shape) != 3:
        return ""
    try:
        if _voxel_bytes(candidate) > READ_AT_MOST:
            return ""
        return CT_FROM_VALUES if candidate.load().voxels_look_like_ct() else ""
    except (NeuroviewError, OSError, ValueError, MemoryError):
        return ""


def _voxel_bytes(candidate) -> int:
    if candidate.source_format == "NRRD":
        from .nrrd import read_nrrd_header

        return read_nrrd_header(candidate.key)[2]
    from .nifti import open_nifti

    return open_nifti(candidate.key)[1]
