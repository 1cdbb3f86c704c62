"""Closing the window gives up its claim on the worklist case it shows: another annotator's Next
case is offered that case again (it used to stay in the state file's open_by for ever)."""

from __future__ import annotations

import json

from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.worklist import Worklist


def test_closing_the_window_releases_its_worklist_case(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, ("a_case", "b_case", "c_case"))
    open_worklist(qtbot, window, cases)
    user, key = window.training_actions.worklist.user, window.training_actions.worklist.key
    state = json.loads((cases / ".neuroview-worklist.json").read_text())
    assert state["open_by"][key]["case"] == "a_case.nii.gz" and state["open_by"][key]["user"] == user
    assert Worklist.open(cases, user="someone else").resume().case_id == "b_case.nii.gz"

    window.close()
    state = json.loads((cases / ".neuroview-worklist.json").read_text())
    assert key not in state["open_by"]
    assert Worklist.open(cases, user="another").resume().case_id == "a_case.nii.gz"   # not c_case
    assert Worklist.open(cases, user=user).resume().case_id == "a_case.nii.gz"   # resumes there
