"""The studies the local cache of retrieved series holds (:mod:`.pacs.cache`), as a radiologist names
them: *Open follow-up* fills in the prior of the patient on screen that was retrieved from a PACS
earlier (it had to be found on the server again), and names a cached series by its study's date and
description and its own number and description, never by its folder, whose name is its
SeriesInstanceUID (``.../pacs-cache/1.2.840...``, meaningless to a reader). Each series' first
image's header is read by neuroview's own reader (:mod:`.dicom.quick_read`, pydicom where it
declines): 0.2 ms a file where pydicom took 1.3 ms (200 files, load 17). Outside the ``pacs``
package, whose first import (pynetdicom, pydicom, dicomweb-client) took 1.15 s at load 20: the
follow-up dialog names a cached series on the GUI thread as it opens. The cache's layout (a folder
named by the SeriesInstanceUID, stamped once whole) is said here and used by :mod:`.pacs.cache`."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..paths import user_data_path
from .dicom.quick_read import quick_read

UID = re.compile(r"^[0-9]+(\.[0-9]+)*$")
STAMP = ".last-used"
"""In a series folder of the cache: the series is whole, last used when the file was touched."""

TAGS = ("PatientID", "IssuerOfPatientID", "StudyInstanceUID", "StudyDate", "StudyDescription",
        "SeriesNumber", "SeriesDescription", "Modality")
NOT_IMAGES = {"SEG", "SR", "PR", "KO", "RTSTRUCT", "REG", "DOC"}   # no time point to compare


def cache_root() -> Path:
    """Where :class:`.pacs.cache.SeriesCache` keeps its series by default (not made here)."""
    return user_data_path() / "pacs-cache"


@dataclass(frozen=True)
class CachedSeries:
    """A series of the cache: its ``folder`` and the header values that place and name it."""

    folder: str
    values: dict

    def get(self, keyword: str) -> str:
        return str(self.values.get(keyword) or "").strip()

    @property
    def name(self) -> str:
        """``2023-01-05 MRI brain / 5 T1 axial (retrieved from PACS)``: as *Open from PACS...*
        lists it, the server (not known here) said as the cache."""
        return series_name(self.values)


def series_name(values: dict) -> str:
    """A series named by its study's date and description and its number and description (header
    values as ``Volume.source_metadata`` holds them), as *Open from PACS...* lists it."""
    def get(keyword: str) -> str:
        return str(values.get(keyword) or "").strip()

    date = get("StudyDate")
    day = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if len(date) == 8 and date.isdigit() else date
    series = " ".join(part for part in (get("SeriesNumber"), get("SeriesDescription")) if part)
    study = " ".join(part for part in (day, get("StudyDescription") or "(study)") if part)
    return f"{study} / {series or '(series)'} (retrieved from PACS)"


def _first_image(folder: Path) -> Path | None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".dcm") and entry.is_file():
                return Path(entry.path)
    return None


def cached_series(folder: str | os.PathLike, root: Path | None = None) -> CachedSeries | None:
    """``folder`` as a series of the cache under ``root`` (default :func:`cache_root`), read from
    its first image's header; None when it is no whole series of the cache (any other path, a
    partial folder, an unreadable image)."""
    root = cache_root() if root is None else root
    path = Path(folder)
    try:
        if path.parent.resolve() != root.resolve() or not UID.match(path.name) \
                or not (path / STAMP).exists():
            return None
        first = _first_image(path)
        if first is None:
            return None
        quick = quick_read(str(first))
        if quick is None:   # declined: pydicom (imported here, not when the dialog opens)
            import pydicom

            ds = pydicom.dcmread(first, stop_before_pixels=True, specific_tags=list(TAGS))
        else:
            ds = quick
    except Exception:  # noqa: BLE001 - an unreadable image (pydicom's InvalidDicomError, ...)
        return None
    values = {}
    for keyword in TAGS:
        with contextlib.suppress(Exception):   # a damaged element: as if absent
            value = ds.source_text(keyword) if quick is not None else ds.get(keyword)
            if value not in (None, ""):
                values[keyword] = str(value)
    return CachedSeries(str(path), values)


def _same_patient(series: CachedSeries, shown: dict) -> bool:
    patient = str(shown.get("PatientID") or "").strip()
    return bool(patient) and series.get("PatientID") == patient and \
        series.get("IssuerOfPatientID") == str(shown.get("IssuerOfPatientID") or "").strip()


def cached_prior(shown: dict, root: Path | None = None) -> CachedSeries | None:
    """The series of the cache to compare the study on screen with (``shown``: its header values,
    ``Volume.source_metadata``): another study of the same patient (PatientID and its issuer) and
    modality, the latest one before it (else the earliest after it: the study on screen may be the
    prior); of that study the series of the same description, else the first by number. None when
    the cache holds no such study (a study with no PatientID has none)."""
    root = cache_root() if root is None else root
    if not str(shown.get("PatientID") or "").strip() or not root.is_dir():
        return None
    study, date = str(shown.get("StudyInstanceUID") or ""), str(shown.get("StudyDate") or "")
    modality = str(shown.get("Modality") or "").strip()
    candidates = []
    for folder in root.iterdir():
        series = cached_series(folder, root)
        if series is None or not _same_patient(series, shown) or series.get("StudyInstanceUID") in (
                "", study) or series.get("Modality") in NOT_IMAGES or (
                modality and series.get("Modality") not in ("", modality)):
            continue
        candidates.append(series)
    if not candidates:
        return None
    before = [s for s in candidates if date and s.get("StudyDate") and s.get("StudyDate") < date]
    if before:
        chosen_study = max(before, key=lambda s: s.get("StudyDate")).get("StudyInstanceUID")
    else:
        chosen_study = min(candidates, key=lambda s: s.get("StudyDate") or "99999999").get(
            "StudyInstanceUID")
    of_study = [s for s in candidates if s.get("StudyInstanceUID") == chosen_study]
    description = str(shown.get("SeriesDescription") or "").strip().casefold()
    alike = [s for s in of_study if description and s.get("SeriesDescription").casefold() == description]

    def number(s: CachedSeries) -> int:
        text = s.get("SeriesNumber")
        return int(text) if text.lstrip("-").isdigit() else 0

    return min(alike or of_study, key=lambda s: (number(s), s.folder))
