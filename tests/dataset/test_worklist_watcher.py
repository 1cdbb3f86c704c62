"""A lead who opens a worklist to watch (``Worklist.open(..., watch=True)``) claims no case and
writes nothing but the marks they give (*Send back*): until session 47 opening it claimed the case
on screen, and an annotator's *Next case* passed over it as open in the lead's window."""

from __future__ import annotations

import json

import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.worklist import WATCHING, Worklist
from tests.dataset.case_folder import case_folder


def test_a_watcher_claims_nothing_and_writes_nothing(tmp_path):
    cases = case_folder(tmp_path, ("a.nii.gz", "b.nii.gz", "c.nii.gz"))
    anna = Worklist.open(cases, user="anna")
    assert anna.resume().case_id == "a.nii.gz"
    state = cases / ".neuroview-worklist.json"
    before = state.read_bytes()
    lead = Worklist.open(cases, user="lead", watch=True)
    assert lead.resume().case_id == "b.nii.gz"        # anna's case passed over, as for anyone
    assert lead.next_case().case_id == "c.nii.gz"
    assert lead.open_case("a.nii.gz").case_id == "a.nii.gz"   # anna's case, looked at
    assert not lead.holding
    assert lead.open_cases == {"a.nii.gz": "anna"}   # who holds each case, as the panel shows
    assert state.read_bytes() == before               # no claim, no stopped_at, nothing
    for change in (lambda: lead.set_status("b.nii.gz", "corrected"),
                   lambda: lead.set_labels("a.nii.gz", cases / "x.nii.gz"),
                   lambda: lead.set_unreadable("b.nii.gz", "bad")):
        with pytest.raises(DatasetError) as refused:
            change()
        assert str(refused.value).endswith(WATCHING)
    assert state.read_bytes() == before
    ben = Worklist.open(cases, user="ben")
    assert ben.resume().case_id == "b.nii.gz"        # the lead's case is nobody's
    assert set(ben.passed_over) == {"a.nii.gz"}       # anna's alone


def test_a_watcher_sends_a_case_back_without_claiming_it(tmp_path):
    cases = case_folder(tmp_path, ("a.nii.gz", "b.nii.gz", "c.nii.gz"))
    anna = Worklist.open(cases, user="anna")
    anna.resume()
    anna.mark_done("a.nii.gz")
    anna.next_case()                                  # anna on b now
    lead = Worklist.open(cases, user="lead", watch=True)
    lead.open_case("a.nii.gz")
    lead.mark_done("a.nii.gz", False, note="lesion 3 missed")
    state = json.loads((cases / ".neuroview-worklist.json").read_text())
    assert state["cases"]["a.nii.gz"]["note"] == {"text": "lesion 3 missed", "by": "lead"}
    assert [claim["case"] for claim in state["open_by"].values()] == ["b.nii.gz"]   # anna's alone
    assert "lead" not in state["stopped_at"]
    assert Worklist.open(cases, user="anna").case("a.nii.gz").note == "lesion 3 missed"


def test_a_watcher_reads_the_annotators_state_not_its_own(tmp_path):
    cases = case_folder(tmp_path, ("a.nii.gz", "b.nii.gz", "c.nii.gz"))
    Worklist.open(cases, user="anna").set_status("a.nii.gz", "corrected")
    lead = Worklist.open(cases, user="lead", watch=True)
    assert lead.state_path == cases / ".neuroview-worklist.json"
    assert lead.case("a.nii.gz").status == "corrected"
    Worklist.open(cases, user="anna").mark_done("a.nii.gz")
    lead.refresh()
    assert lead.case("a.nii.gz").done
