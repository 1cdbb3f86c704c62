"""C-FIND identifiers: the attributes asked for at each query level, the identifier sent, and an
answer as a plain dict (also the form of a QIDO-RS answer in :mod:`.web`)."""

from __future__ import annotations

LEVEL_KEYS = {
    "PATIENT": ("PatientName", "PatientID", "PatientBirthDate", "NumberOfPatientRelatedStudies"),
    "STUDY": ("PatientName", "PatientID", "StudyInstanceUID", "StudyDate", "StudyDescription",
              "AccessionNumber", "ModalitiesInStudy", "NumberOfStudyRelatedSeries",
              "NumberOfStudyRelatedInstances"),
    "SERIES": ("StudyInstanceUID", "SeriesInstanceUID", "Modality", "SeriesNumber", "SeriesDescription",
               "SeriesDate", "SeriesTime", "NumberOfSeriesRelatedInstances"),
}
"""Attributes asked for (and returned) at each query level."""


def query_identifier(level: str, query: dict):
    from pydicom.dataset import Dataset

    ds = Dataset()
    if any(not str(value).isascii() for value in query.values() if value is not None):
        # said, so the server reads Müller as UTF-8: sent without it (pydicom's default, Latin-1
        # bytes), an Orthanc whose DefaultEncoding is Utf8 found no 'Müller^Jörg'
        ds.SpecificCharacterSet = "ISO_IR 192"
    ds.QueryRetrieveLevel = level
    for keyword in LEVEL_KEYS[level]:
        setattr(ds, keyword, "")
    for keyword, value in query.items():
        if value not in (None, ""):
            setattr(ds, keyword, value)
    return ds


def as_dict(ds) -> dict[str, str]:
    out = {}
    for element in ds:
        if element.keyword and element.keyword != "QueryRetrieveLevel":
            value = element.value
            if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
                value = "\\".join(str(v) for v in value)
            out[element.keyword] = "" if value is None else str(value)
    return out


def shown_values(text) -> str:
    """A multi-valued attribute of an answer (:func:`as_dict` keeps DICOM's ``MR\\SEG``) as people
    read a list: ``MR, SEG`` (empty values left out; a single value as it is)."""
    return ", ".join(value.strip() for value in str(text or "").split("\\") if value.strip())


def image_count(answer: dict) -> int:
    """The number of images a series-level answer counts (``NumberOfSeriesRelatedInstances``);
    0 where it says none or no number."""
    text = str(answer.get("NumberOfSeriesRelatedInstances") or "").strip()
    return int(text) if text.isdigit() else 0
