"""The contrast a radiologist would name an MR series by (``FLAIR``, ``T1``, ``T2``, ``PD``,
``DWI``, ``ADC``, ``T2*``, ``SWI``), proposed as the channel name when a case is sent to a new
training set: the DICOM Modality (``MR``) named a FLAIR series' channel as it named a T1's.

Read from the series' own fields where they are clear: the words of its SeriesDescription,
ProtocolName and SequenceName (the vendors' names: Siemens ``tirm``/``dark-fluid``, ``mprage``,
``*tfl3d``, ``*tir2d``, ``*ep_b``; GE ``BRAVO``, ``FSPGR``, ``T2 FLAIR``; Philips ``T1_TFE``,
``T2_FLAIR``), else inversion, repetition and echo times (an inversion of 1800-2800 ms with
TR of 6000 ms or more: dark-fluid FLAIR; of 700-1200 ms with TE under 10 ms: a T1 IR-prep), else a
spin echo's TR and TE. ``""`` where they say nothing clear: the caller keeps its name. Only the
contrast word is kept; the descriptions themselves are never shown or logged. A NIfTI's fields
are its BIDS sidecar's (times in seconds)."""

from __future__ import annotations

import os
import re

from ..core.jsonfile import read_json
from ..core.volume import Volume
from .nifti_sidecar import SIDECAR_MAX_BYTES, sidecar_name

FIELDS = ("SeriesDescription", "ProtocolName", "SequenceName", "ScanningSequence",
          "SequenceVariant", "InversionTime", "RepetitionTime", "EchoTime")
TIMES = ("InversionTime", "RepetitionTime", "EchoTime")

WORDS = (  # first match wins: a T2 FLAIR is a FLAIR, a T1 FLAIR (GE's) a T1
    ("ADC", r"ADC|APPARENT"),
    ("DWI", r"DWI|DIFF[A-Z0-9]*|TRACE[A-Z0-9]*|EP_B[0-9]+[A-Z0-9]*|B1000"),
    ("SWI", r"SWI[A-Z0-9]*|SWAN"),
    ("T2*", r"T2\*|T2STAR|T2_STAR|T2 STAR|HEMO"),
    ("T1", r"T1[_ ]?FLAIR"),
    ("FLAIR", r"[A-Z0-9]*FLAIR[A-Z0-9]*|TIRM|DARKFLUID|TIR2D[A-Z0-9]*"),
    ("T1", r"T1[A-Z0-9]*|MPRAGE|BRAVO|FSPGR|SPGR|TFE|TFL3D[A-Z0-9]*|VIBE"),
    ("PD", r"PDW?|PROTON"),
    ("T2", r"T2[A-Z0-9]*"),
)
"""Matched as whole words: ``_``, spaces and the like part the words of ``T2_FLAIR``."""


def proposed_contrast(fields: dict) -> str:
    """The contrast ``fields`` (DICOM keywords, times in ms) name clearly, or ``""``."""
    text = " ".join(str(fields.get(k) or "") for k in ("SeriesDescription", "ProtocolName", "SequenceName"))
    text = text.upper().replace("-", "")
    for name, pattern in WORDS:
        if re.search(rf"(?<![A-Z0-9])(?:{pattern})(?![A-Z0-9])", text):
            return name
    return _by_times(fields)


def _by_times(fields: dict) -> str:
    try:
        ti, tr, te = (float(fields.get(k) or 0) for k in TIMES)
    except (TypeError, ValueError):
        return ""
    sequence = str(fields.get("ScanningSequence") or "").upper()
    if 1800 <= ti <= 2800 and tr >= 6000:
        return "FLAIR"
    if 700 <= ti <= 1200 and 0 < te < 10:
        return "T1"
    if ti or "SE" not in sequence or "EP" in sequence or not (tr and te):
        return ""
    if tr < 1000 and te < 30:
        return "T1"
    if tr >= 2000:
        return "T2" if te >= 80 else "PD" if te <= 40 else ""
    return ""


def volume_contrast(volume: Volume) -> str:
    """:func:`proposed_contrast` of a loaded series: its first DICOM file's fields, or its NIfTI's
    sidecar's; ``""`` for a CT, an image with no such fields, or one not read."""
    if volume.modality == "CT" or not volume.source_path:
        return ""
    try:
        return proposed_contrast(_fields(volume))
    except (OSError, ValueError):
        return ""


def _fields(volume: Volume) -> dict:
    path = volume.source_path
    sidecar = sidecar_name(path)
    if sidecar:
        fields = read_json(sidecar, SIDECAR_MAX_BYTES) if os.path.isfile(sidecar) else {}
        fields = fields if isinstance(fields, dict) else {}
        return {k: (float(fields[k]) * 1000 if k in TIMES and isinstance(fields.get(k), (int, float))
                    else fields.get(k)) for k in FIELDS}
    return _dicom_fields(path, str(volume.source_metadata.get("SeriesInstanceUID", "")))


def _dicom_fields(path: str, series_uid: str) -> dict:
    """The fields of the series' first file in ``path`` (a file, or the series' folder)."""
    import pydicom
    from pydicom.multival import MultiValue

    files = sorted(os.scandir(path), key=lambda e: e.name) if os.path.isdir(path) else [path]
    for entry in files[:2000]:
        name = os.fspath(entry)
        if not os.path.isfile(name):
            continue
        try:
            ds = pydicom.dcmread(name, stop_before_pixels=True, specific_tags=["SeriesInstanceUID", *FIELDS])
        except Exception:  # noqa: BLE001 - not a DICOM file, or one pydicom cannot read: the next
            continue
        if series_uid and str(ds.get("SeriesInstanceUID", "")) != series_uid:
            continue
        return {k: "\\".join(map(str, v)) if isinstance(v := ds.get(k), (list, MultiValue)) else v
                for k in FIELDS}
    return {}
