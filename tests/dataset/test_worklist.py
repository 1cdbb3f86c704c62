"""The annotation worklist: statuses, Next case in list order, resuming after a restart."""

from __future__ import annotations

import json

import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.worklist import Worklist
from tests.dataset.case_folder import case_folder


@pytest.fixture
def folder(tmp_path):
    cases = case_folder(tmp_path, ("c03.nii.gz", "c01.nii.gz", "c02.nrrd"))
    (cases / "c04_dicom").mkdir()
    (cases / "notes.txt").write_text("not a case")
    return cases


def test_folder_worklist_order_next_and_resume(folder):
    worklist = Worklist.open(folder)
    assert [c.case_id for c in worklist.cases] == ["c01.nii.gz", "c02.nrrd", "c03.nii.gz", "c04_dicom"]
    assert worklist.state_path == folder / ".neuroview-worklist.json"
    assert worklist.resume().case_id == "c01.nii.gz"
    worklist.set_status("c01.nii.gz", "proposed")
    worklist.set_status("c01.nii.gz", "corrected")
    worklist.set_status("c01.nii.gz", "in_training_set", training_case="nv_0001")
    assert worklist.next_case().case_id == "c02.nrrd"
    worklist.set_status("c02.nrrd", "proposed")
    worklist.set_status("c03.nii.gz", "in_training_set", training_case="nv_0002")  # done elsewhere

    # The application closes and opens again: same statuses, back on the case left unfinished.
    again = Worklist.open(folder)
    assert again.resume().case_id == "c02.nrrd" and again.case("c02.nrrd").status == "proposed"
    assert again.case("c01.nii.gz").training_case == "nv_0001"
    assert again.next_case().case_id == "c04_dicom"  # c03 is already in the training set
    assert again.next_case().case_id == "c02.nrrd"   # wraps around to the unfinished case
    assert again.counts() == {"new": 1, "proposed": 1, "corrected": 0, "sent_to_pacs": 0,
                              "in_training_set": 2}
    state = json.loads((folder / ".neuroview-worklist.json").read_text())
    assert state["current"] == "c02.nrrd"
    for case_id in ("c02.nrrd", "c04_dicom"):
        again.set_status(case_id, "in_training_set")
    assert again.next_case() is None


def test_csv_worklist_with_status_column(tmp_path):
    (tmp_path / "a").mkdir()
    csv_path = tmp_path / "list.csv"
    csv_path.write_text("id,path,status\np7,a,\np2,/data/b.nii.gz,proposed\np5,c.nii.gz,in_training_set\n")
    worklist = Worklist.open(csv_path)
    assert [c.case_id for c in worklist.cases] == ["p7", "p2", "p5"]  # row order, not name order
    assert worklist.case("p7").path == tmp_path / "a"
    assert worklist.state_path == tmp_path / "list.csv.neuroview-state.json"
    assert [worklist.next_case().case_id for _ in range(3)] == ["p7", "p2", "p7"]

    plain = tmp_path / "plain.csv"
    plain.write_text("x.nii.gz\ny.nii.gz\n")
    assert [c.case_id for c in Worklist.open(plain).cases] == ["x.nii.gz", "y.nii.gz"]


def test_bad_input_and_broken_state(tmp_path, folder):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,path,status\na,a.nii.gz,reviewed\n")
    with pytest.raises(DatasetError, match="unknown worklist status 'reviewed'"):
        Worklist.open(bad)
    with pytest.raises(DatasetError, match="no such worklist"):
        Worklist.open(tmp_path / "missing.csv")
    worklist = Worklist.open(folder)
    with pytest.raises(DatasetError, match="no case 'zzz'"):
        worklist.set_status("zzz", "new")

    (folder / ".neuroview-worklist.json").write_text("{ truncated")
    reopened = Worklist.open(folder)
    assert reopened.warnings and (folder / ".neuroview-worklist.json.broken").exists()
    assert reopened.resume().case_id == "c01.nii.gz"


def test_labels_saved_beside_the_images_are_no_cases(folder):
    """*Save labels* proposes the image's folder (``c01-labels.nii.gz`` and its
    ``.segments.json``); that mask was a case of its own, which *Next case* opened as an image
    and ``dataset rank`` ranked first (session 19). A NIfTI without the sidecar is still a case."""
    import numpy as np

    from neuroview.app.session import Session
    from neuroview.core.volume import Volume

    session = Session(Volume(np.zeros((6, 6, 6), np.float32), np.eye(4)))
    session.segments.add("lesion")
    session.apply("paint", at_ras=(3.0, 3.0, 3.0), radius_mm=2)
    session.save_labels(folder / "c01-labels.nii.gz")
    (folder / "c05.nii").write_bytes(b"x")
    worklist = Worklist.open(folder)
    assert [c.case_id for c in worklist.cases] == ["c01.nii.gz", "c02.nrrd", "c03.nii.gz",
                                                   "c04_dicom", "c05.nii"]
    for case_id in ("c01.nii.gz", "c02.nrrd", "c03.nii.gz", "c04_dicom", "c05.nii"):
        worklist.set_status(case_id, "in_training_set")
    assert worklist.next_case() is None


def test_a_dicom_seg_saved_beside_the_series_is_no_case(tmp_path):
    """*Save labels as DICOM SEG* proposes the folder holding the series: in a worklist folder the
    SEG became a case of its own (4 cases for 3 images), which *Next case* offered and ``dataset
    rank`` failed on, ``none of its 1 case could be read`` (session 36's walk). A DICOM image file
    there is still a case."""
    import numpy as np

    from neuroview.core.labels import LabelMap
    from neuroview.io.seg import read_series_headers, save_seg
    from tests.dataset.fake_dicom import make_ct_series

    cases = tmp_path / "cases"
    datasets, array, ijk_to_ras = make_ct_series(cases / "b_ct")
    (cases / "a_case.nii.gz").write_bytes(b"x")
    datasets[0].save_as(cases / "c_single.dcm")   # one DICOM image file: a case
    mask = np.zeros(array.shape, np.uint8)
    mask[4:12, 4:12, 2:5] = 1
    save_seg(LabelMap(mask, ijk_to_ras), read_series_headers([cases / "b_ct"]), cases / "b_ct-seg.dcm")
    worklist = Worklist.open(cases)
    assert [c.case_id for c in worklist.cases] == ["a_case.nii.gz", "b_ct", "c_single.dcm"]
