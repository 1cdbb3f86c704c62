"""Which DICOM study a folder holds, from one file's header (for ``neuroview segment``'s batch
rule: sub-folders that are the series of one study are that study, one case)."""

from __future__ import annotations

import os

FILES_TRIED = 8
"""Files of a folder read for its study before it counts as holding no DICOM image."""


def folder_study(folder: str | os.PathLike) -> str:
    """The StudyInstanceUID of the first DICOM image found in ``folder`` (its files in sorted
    order, sub-folders included), or ``""`` when none of its first :data:`FILES_TRIED` files is
    one (NIfTI/NRRD/MetaImage files, a DICOMDIR, text). Never logged: the UID identifies the study."""
    from ..metaimage import is_metaimage_path
    from ..nifti import is_nifti_path
    from ..nrrd import is_nrrd_path

    tried = 0
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name.startswith(".") or name.upper() == "DICOMDIR":
                continue
            path = os.path.join(root, name)
            if is_nifti_path(path) or is_nrrd_path(path) or is_metaimage_path(path):
                return ""
            uid = _study_of_file(path)
            if uid:
                return uid
            tried += 1
            if tried >= FILES_TRIED:
                return ""
    return ""


def _study_of_file(path: str) -> str:
    from .quick_read import quick_read

    quick = quick_read(path)
    if quick is not None:
        return str(quick.get("StudyInstanceUID") or "")
    from .codecs import ensure_pydicom

    ensure_pydicom()
    import pydicom

    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True, specific_tags=["StudyInstanceUID"])
    except Exception:  # noqa: BLE001 - not DICOM, or damaged: it names no study
        return ""
    return str(ds.get("StudyInstanceUID") or "")
