"""What a DICOM SEG is called: in the window, and in the segment records kept of it.

A SEG retrieved from a PACS lies in the cache under its SOP Instance UID (``1.2.826.0....dcm``):
a name nobody recognises, and a UID, which the segment records (``.segments.json``, the crash
journal) never keep. The window names such a SEG as Slicer's DICOM browser and OHIF list one: its
SeriesDescription and, when the description does not already name them, its reader
(ContentCreatorName, ``Smith^Ann``, as people read it: ``Ann Smith``); the record names it
``DICOM SEG``. A SEG file a person named (*Save labels as DICOM SEG*) is called by its name in
both, as any label file is. The record keeps no
description: one may name the reader (``Lesions - Ann Smith's version``, as *Save to PACS*
writes it), and no description or person's name goes into a record (README, *Security and
privacy*).
"""

from __future__ import annotations

import hashlib
import os

from .dicom.person_name import readable_name

UNNAMED_SEG = "DICOM SEG"
"""The record's name of a SEG whose file is named by its SOP Instance UID (a PACS cache file)."""


def seg_names(path: str | os.PathLike) -> tuple[str, str]:
    """``(recorded, shown)``: the name a segment record keeps of the SEG at ``path`` and the one
    the window shows: the file's name for both (also when its header cannot be read), unless the
    file is named by its SOP Instance UID."""
    import pydicom

    name = os.path.basename(os.fspath(path))
    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True, specific_tags=[
            "SOPInstanceUID", "SeriesDescription", "ContentCreatorName"])
    except Exception:  # not DICOM after all: load_seg says what is wrong with it
        return name, name
    uid = str(ds.get("SOPInstanceUID", "") or "")
    if not uid or os.path.splitext(name)[0] != uid:
        return name, name
    description = " ".join(str(ds.get("SeriesDescription", "") or "").split())
    stored = " ".join(str(ds.get("ContentCreatorName", "") or "").split())
    reader = readable_name(stored)   # Smith^Ann as people read it: Ann Smith
    if not description:
        shown = reader or "(no description)"
    else:   # a description naming the reader either way (as Save to PACS wrote it before) says it
        named = reader and (reader in description or stored in description)
        shown = description + (f" ({reader})" if reader and not named else "")
    return UNNAMED_SEG, shown


def name_fingerprint(path: str | os.PathLike) -> str:
    """A fingerprint of the SEG file's name (its SOP Instance UID for a cache file), by which a
    restore finds the file again (``app.seg_recall``) with neither UID nor name kept."""
    stem = os.path.splitext(os.path.basename(os.fspath(path)))[0]
    return hashlib.sha256(b"neuroview SEG file name\0" + stem.encode("utf-8", "surrogateescape")).hexdigest()
