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
