"""The StudyDate of a DICOM file or folder, as ``YYYYMMDD`` (empty when there is none to read):
*Open follow-up* orders the study on screen and the other one by it."""

from __future__ import annotations

import os

import pydicom
from pydicom.errors import InvalidDicomError

FILES_TRIED = 20
"""Files of a folder read before giving up (a folder of notes, thumbnails and a DICOMDIR first)."""
FOLDERS_TRIED = 50
"""Folders walked before giving up (a path typed as far as ``/`` is a folder too)."""


def study_date(path: str) -> str:
    """``"20250301"`` from the first DICOM file of ``path`` (a file, or a folder walked in name
    order) that states a well-formed StudyDate; ``""`` for another format, a ``pacs://`` series
    or none found."""
    if not path or "://" in path:
        return ""
    for name in _files(path):
        try:
            ds = pydicom.dcmread(name, stop_before_pixels=True, specific_tags=["StudyDate"])
        except (InvalidDicomError, OSError, ValueError, EOFError, AttributeError, KeyError):
            continue
        day = str(ds.get("StudyDate", "") or "").strip()
        if len(day) == 8 and day.isdigit():
            return day
    return ""


def _files(path: str):
    if os.path.isfile(path):
        yield path
        return
    tried = 0
    for walked, (folder, folders, names) in enumerate(os.walk(path)):
        if walked >= FOLDERS_TRIED:
            return
        folders.sort()
        for name in sorted(names):
            if tried >= FILES_TRIED:
                return
            tried += 1
            yield os.path.join(folder, name)
