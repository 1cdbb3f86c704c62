"""A written series' UIDs and its pixels by SOP instance UID, for the tests against the tests'
Orthanc (store, retrieve and compare what came back)."""

from __future__ import annotations

import pydicom


def uids(series) -> tuple[str, str]:
    """(StudyInstanceUID, SeriesInstanceUID) of a written series."""
    head = pydicom.dcmread(series.files[0], stop_before_pixels=True)
    return str(head.StudyInstanceUID), str(head.SeriesInstanceUID)


def pixels_by_uid(folder) -> dict:
    """SOPInstanceUID -> pixel array of each ``.dcm`` file in ``folder``."""
    out = {}
    for file in sorted(p for p in folder.iterdir() if p.suffix == ".dcm"):
        ds = pydicom.dcmread(file)
        out[str(ds.SOPInstanceUID)] = ds.pixel_array.copy()
    return out
