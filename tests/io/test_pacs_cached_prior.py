"""Which series of the PACS cache *Open follow-up* fills in beside the study on screen
(:func:`neuroview.io.pacs_cached.cached_prior`): the same patient's (ID and issuer) other
study of the same modality, the latest before it, the series of the same description; no SEG, no
other patient, none for a study with no patient ID. Read from real DICOM headers in the cache."""

from __future__ import annotations

from pathlib import Path

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage

from neuroview.io.pacs_cached import cached_prior, cached_series

ROOT = "1.2.826.0.1.3680043.8.498.77"


def _series(root: Path, n: int, study: int, date: str, description: str = "FLAIR", number: int = 3,
            patient: str = "P1", modality: str = "MR", stamped: bool = True) -> Path:
    folder = root / f"{ROOT}.{n}"
    folder.mkdir(parents=True)
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = MRImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = f"{ROOT}.{n}.1"
    ds.PatientID, ds.StudyInstanceUID, ds.SeriesInstanceUID = patient, f"{ROOT}.9{study}", folder.name
    ds.StudyDate, ds.StudyDescription, ds.Modality = date, "MRI brain", modality
    ds.SeriesNumber, ds.SeriesDescription = number, description
    pydicom.dcmwrite(folder / f"{ds.SOPInstanceUID}.dcm", ds, enforce_file_format=True)
    if stamped:
        (folder / ".last-used").touch()
    return folder


def _shown(date: str = "20240310", **more) -> dict:
    return {"PatientID": "P1", "StudyInstanceUID": f"{ROOT}.91", "StudyDate": date,
            "Modality": "MR", "SeriesDescription": "flair", **more}


def test_the_latest_earlier_study_of_the_patient_and_its_series_alike(tmp_path):
    _series(tmp_path, 1, 1, "20240310")                       # the study on screen itself
    _series(tmp_path, 2, 2, "20210101")                       # an older prior
    _series(tmp_path, 3, 3, "20230105", "T1", 2)              # the latest prior: its T1 ...
    wanted = _series(tmp_path, 4, 3, "20230105", "FLAIR", 5)  # ... and its FLAIR
    _series(tmp_path, 5, 4, "20231201", patient="P2")         # another patient, later prior
    _series(tmp_path, 6, 5, "20231202", modality="SEG")       # a reader's mask
    _series(tmp_path, 7, 6, "20231203", modality="CT")        # another modality
    _series(tmp_path, 8, 7, "20231204", stamped=False)        # a retrieval cut short
    found = cached_prior(_shown(), tmp_path)
    assert found is not None and found.folder == str(wanted)
    assert found.name == "2023-01-05 MRI brain / 5 FLAIR (retrieved from PACS)"
    # no series alike: the first by number
    assert cached_prior(_shown(SeriesDescription="DWI"), tmp_path).get("SeriesDescription") == "T1"


def test_the_later_study_when_the_one_on_screen_is_the_oldest(tmp_path):
    _series(tmp_path, 1, 2, "20250101")
    wanted = _series(tmp_path, 2, 3, "20240601")
    assert cached_prior(_shown("20200101"), tmp_path).folder == str(wanted)


def test_none_without_a_patient_id_or_another_study(tmp_path):
    _series(tmp_path, 1, 1, "20240310")
    assert cached_prior(_shown(), tmp_path) is None                  # only the study on screen
    _series(tmp_path, 2, 2, "20230101", patient="")
    assert cached_prior(_shown(PatientID=""), tmp_path) is None      # no patient to match
    assert cached_prior(_shown(), tmp_path / "none") is None         # no cache yet


def test_a_folder_outside_the_cache_is_no_cached_series(tmp_path):
    inside = _series(tmp_path / "cache", 1, 1, "20240310")
    outside = _series(tmp_path / "elsewhere", 1, 1, "20240310")
    assert cached_series(inside, tmp_path / "cache") is not None
    assert cached_series(outside, tmp_path / "cache") is None
    assert cached_series(tmp_path / "cache" / "missing", tmp_path / "cache") is None
