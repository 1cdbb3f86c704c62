"""The point a reader was looking at, kept when another series of the same study opens.

Series of one DICOM frame of reference (the sequences of one MR session: a sagittal 3D T1, an
axial FLAIR, an oblique coronal T2) share their patient coordinates, so a point in one is the same
anatomy in the others, whatever their grids. PACS viewers keep the cursor there when the reader
switches series (OHIF's and Horos' synchronisation by frame of reference, Slicer's linked slice
offsets); neuroview opened each series at its middle voxel, so the lesion being read had to be
found again on every sequence."""

from __future__ import annotations

import numpy as np

from ..core import geometry

FRAME_KEY = "FrameOfReferenceUID"


def frame_of_reference(volume) -> str:
    """The DICOM frame of reference ``volume`` was read in; empty for files that name none (a
    NIfTI, a series without the element)."""
    if volume is None:
        return ""
    return str((volume.source_metadata or {}).get(FRAME_KEY) or "")


def inside(volume, p_ras) -> bool:
    """Whether ``p_ras`` lies within ``volume``'s voxels (their edges included)."""
    ijk = geometry.apply_affine(np.linalg.inv(volume.ijk_to_ras), np.asarray(p_ras, float))
    shape = np.asarray(volume.shape[:3], float)
    return bool(np.all(ijk >= -0.5) and np.all(ijk <= shape - 0.5))


def carried_point(before, p_ras, after):
    """The point (RAS mm) the views of ``after`` open on when ``before`` was shown with its
    crosshair at ``p_ras``: that point where both series share a frame of reference and it lies
    within ``after``; else ``None`` (another patient or session, a NIfTI, a point outside)."""
    frame = frame_of_reference(before)
    if p_ras is None or not frame or frame != frame_of_reference(after):
        return None
    return np.asarray(p_ras, float).copy() if inside(after, p_ras) else None
