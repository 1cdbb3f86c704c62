"""Checks that keep a follow-up from reporting what it cannot know: studies of two patients, a
blank image.

No Qt; the CLI (``neuroview followup``) and File > Open follow-up... call them alike.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import NeuroviewError


def check_same_patient(baseline, volume, name: str = "", path=None) -> None:
    """Refuse a later study whose DICOM Patient ID is not the baseline's: a follow-up compares
    studies of one patient (two patients' lesions matched read as new and resolved lesions). The
    IDs are not shown. Studies without a Patient ID (NIfTI, NRRD) cannot be checked."""
    ids = [str((v.source_metadata or {}).get("PatientID", "") or "").strip() for v in (baseline, volume)]
    if all(ids) and ids[0] != ids[1]:
        raise NeuroviewError(f"{name or 'this study'} is not of the baseline's patient (the DICOM "
                             "Patient IDs differ): a follow-up compares studies of one patient",
                             path=None if path is None else str(path))


def check_not_blank(study) -> None:
    """Refuse a study whose image holds one value only (a blank or failed export): there is nothing
    to register (SimpleITK's moments initialiser stopped on its zero mass, which the command
    printed as an internal error)."""
    image = np.asarray(study.image)
    if image.size and np.all(image == image.flat[0]):
        raise NeuroviewError(f"{study.name or 'a study'}: the image is blank (every voxel is "
                             f"{image.flat[0]:g}): there is nothing to register")
