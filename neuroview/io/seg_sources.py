"""What a DICOM SEG keeps of its source series' headers (``seg.save_seg``): the patient and study
attributes that file it in the patient's record, nothing else of the patient, the visit or the
people; and error lines that never quote a header's values."""

from __future__ import annotations

import os
import re
from typing import Sequence

from ..core.errors import private_reason

TYPE2_PATIENT_STUDY = ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "AccessionNumber",
                       "StudyID", "StudyDate", "StudyTime", "ReferringPhysicianName")
"""Type 2 attributes a SEG copies from its source; absent in some archives and test series,
present-but-empty is valid (highdicom needs them)."""

PATIENT_KEPT = frozenset({"PatientName", "PatientID", "IssuerOfPatientID", "TypeOfPatientID",
                          "IssuerOfPatientIDQualifiersSequence", "PatientBirthDate", "PatientSex"})
"""What a SEG keeps of the source's patient (group 0010): what files it in the patient's record.
The rest of the group (other names and IDs, birth time, address, age, size, weight, comments,
history...) is left out, as are the visit (group 0038) and the study's free text and people
below; README, "Security and privacy", lists what a SEG keeps."""
SOURCE_LEFT_OUT = (
    "StudyDescription", "PhysiciansOfRecord", "PhysiciansOfRecordIdentificationSequence",
    "NameOfPhysiciansReadingStudy", "PhysiciansReadingStudyIdentificationSequence",
    "ConsultingPhysicianName", "ConsultingPhysicianIdentificationSequence",
    "ReferringPhysicianIdentificationSequence", "IssuerOfAccessionNumberSequence",
    "AdmittingDiagnosesDescription", "AdmittingDiagnosesCodeSequence", "RequestingServiceCodeSequence",
    "ReasonForPerformedProcedureCodeSequence", "ProcedureCodeSequence", "ReferencedStudySequence",
    # the acquisition equipment highdicom would name as contributing equipment: where and when
    "InstitutionName", "InstitutionAddress", "InstitutionalDepartmentName", "StationName",
    "DeviceSerialNumber", "AcquisitionDateTime", "AcquisitionDate", "AcquisitionTime",
)


def sources_for_seg(headers: Sequence) -> list:
    """Copies of the source headers as a SEG is built from them: the patient and study
    attributes a SEG needs (Type 2 ones filled in empty when absent), and none of the others
    that highdicom would copy (:data:`PATIENT_KEPT`, :data:`SOURCE_LEFT_OUT`)."""
    out = []
    for ds in headers:
        ds = ds.copy()
        for element in list(ds):
            if element.tag.group in (0x0010, 0x0038) and element.keyword not in PATIENT_KEPT:
                del ds[element.tag]
        for keyword in SOURCE_LEFT_OUT:
            if keyword in ds:
                delattr(ds, keyword)
        for keyword in TYPE2_PATIENT_STUDY:
            if keyword not in ds or not _conformant(keyword, ds.get(keyword)):
                setattr(ds, keyword, "")   # highdicom refuses e.g. a birth date as 1961-04-17
        out.append(ds)
    return out


_FORMATS = {"DA": re.compile(r"\d{8}"), "TM": re.compile(r"\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?")}


def _conformant(keyword: str, value) -> bool:
    """A kept date, time or sex as DICOM writes it (an empty value is conformant)."""
    text = str(value if value is not None else "").strip()
    if not text:
        return True
    if keyword == "PatientSex":
        return text in ("M", "F", "O")
    fmt = _FORMATS.get("DA" if keyword.endswith("Date") else "TM" if keyword.endswith("Time") else "")
    return fmt is None or fmt.fullmatch(text) is not None


def without_header_values(text: str, headers: Sequence) -> str:
    """``text`` (a library's error message) with every text value of the first header replaced
    by ``...``: an error line never quotes a patient's name, ID or date."""
    if not headers:
        return text
    for element in headers[0]:
        if element.VR in ("PN", "LO", "SH", "DA", "TM", "DT", "UI", "LT", "ST", "UT", "AS"):
            value = str(element.value or "")
            if len(value) >= 3 and value in text:
                text = text.replace(value, "...")
    return text


def not_numbers(headers: Sequence) -> list[str]:
    """Keywords of the number elements (DS, IS) of ``headers`` that hold something else: highdicom
    reads them with ``float()``, whose words quote the value and not the element."""
    found: list[str] = []
    for ds in headers:
        for element in ds:
            if element.VR not in ("DS", "IS") or element.keyword in found:
                continue
            values = element.value if isinstance(element.value, (list, tuple)) or \
                type(element.value).__name__ == "MultiValue" else [element.value]
            try:
                [float(value) for value in values if value not in (None, "")]
            except (TypeError, ValueError):
                found.append(element.keyword or str(element.tag))
    return found


def build_failure(exc: Exception, headers: Sequence) -> str:
    """Why highdicom could not build a SEG of ``headers``, with no value of theirs in it: the
    number elements holding text named (``SliceThickness is not a number``), else its words
    without the values they quote."""
    for ds in headers if isinstance(exc, (TypeError, ValueError)) else ():
        bad = not_numbers([ds])
        if bad:
            name = os.path.basename(str(ds.get("filename") or "")) or "the source"
            return (f"{', '.join(bad)} of {name} {'is' if len(bad) == 1 else 'are'} not a number "
                    "(value not shown)")
    return without_header_values(private_reason(exc), headers)
