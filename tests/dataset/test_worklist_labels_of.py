"""The worklist keeps the labels file each annotator last saved for a case (``labels_of``), not
only the last one anyone saved: two annotators saving a case's labels in their own folders left
the lead one of them to compare (``app.label_readers``; session 49)."""

from __future__ import annotations

import json

from neuroview.dataset.worklist import Worklist
from tests.dataset.case_folder import case_folder


def test_each_annotators_last_labels_file_is_kept(tmp_path):
    cases = case_folder(tmp_path, ("a_case.nii.gz", "b_case.nii.gz"))
    anna, ben = Worklist.open(cases, user="anna"), Worklist.open(cases, user="ben")
    anna.set_labels("a_case.nii.gz", cases / "first.nii.gz")
    anna.set_labels("a_case.nii.gz", cases / "a_case-labels.nii.gz")   # her later save
    ben.set_labels("a_case.nii.gz", cases / "mine.nii.gz")

    case = Worklist.open(cases, user="sam").case("a_case.nii.gz")
    assert case.labels_of == {"anna": str(cases / "a_case-labels.nii.gz"), "ben": str(cases / "mine.nii.gz")}
    assert case.labels == str(cases / "mine.nii.gz") and case.labels_by == "ben"
    saved = json.loads((cases / ".neuroview-worklist.json").read_text())["cases"]
    assert "labels_of" not in saved["b_case.nii.gz"]   # nothing saved: nothing written
