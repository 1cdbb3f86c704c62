"""A worklist state file of the wrong shape (a JSON list, its cases a list, a case's entry a list,
its fields of other types), as damage or another tool leaves it, is set aside or its odd values
left out: opening the worklist was an internal AttributeError ('list' object has no attribute
'get'; found by bench/mutate_readers.py --only worklist, seed 50)."""

from __future__ import annotations

import json

from neuroview.dataset.worklist import Worklist
from tests.dataset.case_folder import case_folder


def test_a_state_that_is_a_list_is_set_aside(tmp_path):
    cases = case_folder(tmp_path)
    (cases / ".neuroview-worklist.json").write_text('[{"cases": {}}]')
    worklist = Worklist.open(cases, user="ana")
    assert worklist.warnings == ["worklist state was unreadable (not a JSON object of cases); kept as "
                                 ".neuroview-worklist.json.broken"]
    assert (cases / ".neuroview-worklist.json.broken").read_text() == '[{"cases": {}}]'
    assert worklist.resume().case_id == "c01.nii.gz"


def test_cases_given_as_a_list_are_set_aside(tmp_path):
    cases = case_folder(tmp_path)
    (cases / ".neuroview-worklist.json").write_text('{"cases": ["c01.nii.gz"]}')
    worklist = Worklist.open(cases, user="ana")
    assert worklist.warnings[0].startswith("worklist state was unreadable (not a JSON object of cases)")


def test_entries_and_fields_of_other_types_are_left_out(tmp_path):
    cases = case_folder(tmp_path)
    state = {"cases": {"c01.nii.gz": ["done"],
                       "c02.nii.gz": {"status": "corrected", "training_case": [1], "labels": {"x": 1},
                                      "updated": 5, "mark": ["done"]}}}
    (cases / ".neuroview-worklist.json").write_text(json.dumps(state))
    worklist = Worklist.open(cases, user="ana")
    first, second = worklist.cases
    assert (first.status, second.status) == ("new", "corrected")
    assert (second.training_case, second.labels, second.updated, second.mark) == ("", "", "", "")
    worklist.mark_done("c02.nii.gz")
    saved = json.loads((cases / ".neuroview-worklist.json").read_text())["cases"]["c02.nii.gz"]
    assert saved["status"] == "corrected" and saved["mark"] == "done"
