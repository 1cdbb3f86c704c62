"""Checks that keep a follow-up from reporting what it cannot know: studies of two patients.

No Qt; the CLI (``neuroview followup``) and File > Open follow-up... call them alike.
"""

from __future__ import annotations

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
