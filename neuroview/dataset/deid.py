"""De-identification on the way into a training set.

Cases are written as NIfTI from pixel data and geometry only: nothing of the source header
(``Volume.source_metadata``, NIfTI ``descrip``/extensions, file and series names) is copied. This
follows the PS3.15 Basic Application Level Confidentiality Profile for what we export: names, IDs,
dates and times, UIDs, institution and device identities are dropped, and the case gets a
pseudonym. :func:`identifying_values` collects what the source said about the patient, so the
store can check its own output for any of it (:func:`find_identifiers`) and refuse to keep a case
that would leak. Burned-in text in the pixels is not detected (PS3.15's "Clean Pixel Data" option);
an image whose header declares it (BurnedInAnnotation YES) is refused
(:func:`check_no_burned_in_text`).
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path
from typing import Iterable, Mapping

from ..core.errors import DatasetError
from ..core.volume import Volume

# Attributes of PS3.15 Table E.1-1 (Basic Profile) that are commonly filled in CT/MR headers.
BASIC_PROFILE_KEYWORDS = (
    "AccessionNumber", "AcquisitionDate", "AcquisitionDateTime", "AcquisitionTime",
    "AdditionalPatientHistory", "AdmittingDiagnosesDescription", "ContentDate", "ContentTime",
    "CurrentPatientLocation", "DeviceSerialNumber", "FrameOfReferenceUID", "InstanceCreationDate",
    "InstanceCreatorUID", "InstitutionAddress", "InstitutionName", "InstitutionalDepartmentName",
    "IssuerOfPatientID", "MedicalRecordLocator", "NameOfPhysiciansReadingStudy", "OperatorsName",
    "OtherPatientIDs", "OtherPatientNames", "PatientAddress", "PatientBirthDate", "PatientBirthName",
    "PatientBirthTime", "PatientComments", "PatientID", "PatientMotherBirthName", "PatientName",
    "PatientTelephoneNumbers", "PerformedProcedureStepID", "PerformedProcedureStepStartDate",
    "PerformingPhysicianName", "PhysiciansOfRecord", "ReferringPhysicianAddress",
    "ReferringPhysicianName", "ReferringPhysicianTelephoneNumbers", "RequestingPhysician",
    "SeriesDate", "SeriesInstanceUID", "SeriesTime", "SOPInstanceUID", "StationName", "StudyDate",
    "StudyDescription", "StudyID", "StudyInstanceUID", "StudyTime", "SeriesDescription",
    "MediaStorageSOPInstanceUID", "RequestAttributesSequence", "ScheduledProcedureStepID",
    "RequestedProcedureID", "ImageComments", "ProtocolName", "DerivationDescription",
)
# Free-text NIfTI header fields that converters fill with names, IDs or dates.
NIFTI_TEXT_FIELDS = ("descrip", "aux_file", "db_name", "intent_name")

MIN_VALUE_LENGTH = 4
"""Shorter values ('M', 'CT', '42') would match everywhere and identify nobody."""

STANDARD_UID_ROOT = "1.2.840.10008."
_GENERIC = {"anonymous", "anon", "unknown", "none", "null", "n/a"}


def _pieces(keyword: str, value) -> list[str]:
    text = str(value).strip()
    if not text:
        return []
    pieces = [text]
    if "Name" in keyword:  # person names: "Family^Given^Middle" - each part alone identifies too
        pieces.extend(p for p in re.split(r"[\^=]", text) if p)
    if keyword.endswith("Date") and re.fullmatch(r"\d{8}", text):
        pieces.append(f"{text[:4]}-{text[4:6]}-{text[6:]}")  # the ISO spelling of the same date
    return pieces


def identifying_values(metadata: Mapping[str, object]) -> list[str]:
    """The values in a source header that identify the patient, study or site."""
    values: set[str] = set()
    for keyword, value in metadata.items():
        if (keyword in BASIC_PROFILE_KEYWORDS or keyword in NIFTI_TEXT_FIELDS
                or keyword.endswith(("UID", "Date", "DateTime"))):
            for piece in _pieces(keyword, value):
                if piece.startswith(STANDARD_UID_ROOT):
                    continue  # SOP classes, transfer syntaxes: the same in every hospital
                if len(piece) >= MIN_VALUE_LENGTH and piece.lower() not in _GENERIC:
                    values.add(piece)
    return sorted(values)


def check_no_burned_in_text(volume: Volume) -> None:
    """Refuse an image whose DICOM header says its pixels show identifying text
    (BurnedInAnnotation YES: a scanned report, a screen capture, a secondary capture with the
    patient's name): writing pixels alone would carry that text into the training set."""
    if str(volume.source_metadata.get("BurnedInAnnotation", "")).strip().upper() == "YES":
        raise DatasetError(
            "the DICOM header says the pixels show identifying text (BurnedInAnnotation YES), "
            "which de-identification cannot remove; add an export with the text removed (its "
            "BurnedInAnnotation NO) instead", path=volume.source_path or None)


def _readable_bytes(path: Path, limit: int | None) -> bytes:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            return handle.read(-1 if limit is None else limit)
    with open(path, "rb") as handle:
        return handle.read(-1 if limit is None else limit)


def find_identifiers(paths: Iterable[str | os.PathLike], values: Iterable[str],
                     limit: int | None = None) -> list[tuple[str, str]]:
    """``(file, value)`` for each identifying value found in a file's name or content.

    Content of ``.gz`` files is searched decompressed. ``limit`` reads only the first bytes of
    each file (a NIfTI header and its extensions sit at the start).
    """
    needles = [(v, v.encode("utf-8")) for v in values if v]
    hits = []
    for path in paths:
        path = Path(path)
        content = _readable_bytes(path, limit)
        for value, needle in needles:
            if value in path.name or needle in content:
                hits.append((str(path), value))
    return hits
