"""A DICOM SEG keeps what files it in the patient's study, and nothing else of its source header.

The source is the marked study (every identifying attribute a unique string): the SEG must keep
the patient's name, ID, issuer, birth date and sex and the study's UIDs, date, time, accession,
ID and referring physician (README, "Security and privacy"), the UIDs of the images it refers
to, and no other marker: no other names or IDs, comments, history, readers, institution,
station, device serial number, acquisition date, study description or private tag.
"""

from __future__ import annotations

import highdicom as hd
import numpy as np
import pydicom

from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io import load
from neuroview.io.seg import load_seg, read_series_headers, save_seg
from tests.marked_study import DATES, TEXT, TIMES, UIDS, markers, sop_uid, write_marked_study

KEPT = {TEXT["PatientName"], *TEXT["PatientName"].split("^"), TEXT["PatientID"],
        TEXT["IssuerOfPatientID"], DATES["PatientBirthDate"], DATES["StudyDate"], TIMES["StudyTime"],
        TIMES["StudyTime"].split(".")[0], TEXT["AccessionNumber"], TEXT["StudyID"],
        TEXT["ReferringPhysicianName"], *TEXT["ReferringPhysicianName"].split("^"),
        *UIDS.values(), *(sop_uid(k) for k in range(40)), "1.2.826.0.1.3680043.8.498.4711"}


def test_seg_keeps_the_patient_and_study_and_nothing_else(tmp_path):
    study = write_marked_study(tmp_path / "study")
    volume = load(str(study))
    labels = np.zeros(volume.shape, np.uint8)
    labels[20:26, 20:28, 8:12] = 1
    table = SegmentTable()
    table.add("lesion", color=(230, 25, 75), value=1)
    path = tmp_path / "labels-seg.dcm"
    save_seg(LabelMap(labels, volume.ijk_to_ras, table), read_series_headers(sorted(study.glob("*.dcm"))),
             path, content_creator="Reader^Ann")

    ds = pydicom.dcmread(path)
    seg = hd.seg.Segmentation.from_dataset(ds)       # still a valid SEG
    assert seg.number_of_segments == 1
    assert (str(ds.PatientName), ds.PatientID, ds.PatientBirthDate, ds.PatientSex) == \
        (TEXT["PatientName"], TEXT["PatientID"], DATES["PatientBirthDate"], "O")
    assert (ds.StudyInstanceUID, ds.FrameOfReferenceUID, ds.AccessionNumber, ds.StudyDate) == \
        (UIDS["StudyInstanceUID"], UIDS["FrameOfReferenceUID"], TEXT["AccessionNumber"], DATES["StudyDate"])
    data = path.read_bytes()
    left = [m for m in markers() if m not in KEPT and m.encode() in data]
    assert left == []
    assert np.array_equal(load_seg(path, volume).array, labels)   # the voxels read back


def _lesion(volume) -> LabelMap:
    labels = np.zeros(volume.shape, np.uint8)
    labels[20:26, 20:28, 8:12] = 1
    table = SegmentTable()
    table.add("lesion", color=(230, 25, 75), value=1)
    return LabelMap(labels, volume.ijk_to_ras, table)


def test_seg_of_dates_written_out_of_format_is_saved_without_them(tmp_path):
    """A birth date as 1917-05-23 or a study time as 13:47:11 (exporters write them so): highdicom
    refused the SEG with a line quoting the date; they are left empty (Type 2) and it is saved."""
    study = write_marked_study(tmp_path / "study")
    headers = read_series_headers(sorted(study.glob("*.dcm")))
    for ds in headers:
        ds.PatientBirthDate, ds.StudyTime, ds.PatientSex = "1917-05-23", "13:47:11", "female"
    path = tmp_path / "labels-seg.dcm"
    save_seg(_lesion(load(str(study))), headers, path)
    ds = pydicom.dcmread(path)
    assert (ds.PatientBirthDate, ds.StudyTime, ds.PatientSex) == ("", "", "")
    assert ds.StudyDate == DATES["StudyDate"] and ds.PatientID == TEXT["PatientID"]
    assert b"1917-05-23" not in path.read_bytes() and b"13:47:11" not in path.read_bytes()


def test_seg_error_quotes_no_header_value(tmp_path, monkeypatch):
    """Whatever highdicom says about a header, the error line says it without the values."""
    import pytest

    from neuroview.core.errors import SaveError

    def refuse(*args, source_images, **kwargs):
        ds = source_images[0]
        raise ValueError(f"{ds.PatientName} {ds.PatientID} born {ds.PatientBirthDate} is wrong")

    study = write_marked_study(tmp_path / "study")
    monkeypatch.setattr(hd.seg, "Segmentation", refuse)
    with pytest.raises(SaveError) as error:
        save_seg(_lesion(load(str(study))), read_series_headers(sorted(study.glob("*.dcm"))),
                 tmp_path / "labels-seg.dcm")
    assert "is wrong" in str(error.value)
    assert [m for m in markers() if m in str(error.value)] == []
