"""A worklist's shared state (``.neuroview-worklist.json``, a file colleagues share) names the
labels files watch mode and *Adjudicate* read, and a ranking CSV names the worklist whose state it
writes. Until session 50 any path there was taken: a state naming ``../../home/x/secret.nii.gz``
made neuroview read it, and a ranking naming any folder made it write its state there."""

from __future__ import annotations

import json
import os

from neuroview.dataset.rank import write_ranking_csv
from neuroview.dataset.worklist import Worklist
from neuroview.paths import user_data_dir
from tests.dataset.case_folder import case_folder

CASES = ("a_case.nii.gz", "b_case.nii.gz")


def _shared_state(cases, labels_of: dict, labels: str) -> None:
    """A state file as a colleague might send it: ``labels_of`` of case 2 (b_case) as given."""
    (cases / ".neuroview-worklist.json").write_text(json.dumps({"cases": {"b_case.nii.gz": {
        "status": "corrected", "labels": labels, "labels_saved": {"by": "ben", "at": "2026-12-07T09:41:00Z"},
        "labels_of": labels_of}}}))


def test_labels_files_outside_the_worklist_are_not_taken(tmp_path):
    cases = case_folder(tmp_path, CASES)
    secret = tmp_path / "home" / "x" / "secret.nii.gz"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"")
    (cases / "link.nii.gz").symlink_to(secret)            # a link out of the folder is out
    carol = cases / "b_case-labels.nii.gz"
    _shared_state(cases, {"ben": "../home/x/secret.nii.gz", "anna": str(secret),
                          "dan": "link.nii.gz", "carol": str(carol)}, "../home/x/secret.nii.gz")

    sam = Worklist.open(cases, user="sam")
    case = sam.case("b_case.nii.gz")
    assert case.labels_of == {"carol": str(carol)} and case.labels == ""
    state = cases / ".neuroview-worklist.json"
    assert sam.warnings == [f"{state}: case 2's labels, case 2's labels_of 'ben', case 2's labels_of "
                            "'anna', case 2's labels_of 'dan' name files outside the worklist's "
                            "folders: not read (a worklist reads labels only in its own folder and "
                            "its cases' folders)"]
    assert "b_case" not in sam.warnings[0]                 # the case by its number, not its name
    sam.refresh()
    assert len(sam.warnings) == 1                         # said once
    assert sam.case("a_case.nii.gz").status == "new"     # the rest of the worklist works
    assert sam.next_case().case_id == "a_case.nii.gz"


def test_a_save_outside_is_not_named_in_the_shared_state(tmp_path):
    cases = case_folder(tmp_path, CASES)
    anna = Worklist.open(cases, user="anna")
    outside = tmp_path / "Documents" / "a_case-labels.nii.gz"
    assert not anna.keeps(outside) and anna.keeps(cases / "a_case-labels.nii.gz")
    anna.set_labels("a_case.nii.gz", outside)
    saved = json.loads((cases / ".neuroview-worklist.json").read_text())["cases"]["a_case.nii.gz"]
    assert saved["status"] == "corrected" and saved["labels"] == "" and "labels_of" not in saved
    assert str(outside) not in (cases / ".neuroview-worklist.json").read_text()


def test_a_state_of_ones_own_names_files_anywhere(tmp_path):
    cases = case_folder(tmp_path, CASES)
    own = user_data_dir() / "worklists" / "own.json"     # a read-only share's state: this user's
    anna = Worklist.open(cases, state_path=own, user="anna")
    documents = tmp_path / "Documents" / "a_case-labels.nii.gz"
    anna.set_labels("a_case.nii.gz", documents)
    again = Worklist.open(cases, state_path=own, user="anna")
    assert again.case("a_case.nii.gz").labels_of == {"anna": str(documents)} and again.warnings == []


def test_a_ranking_writes_only_the_state_of_the_worklist_holding_its_cases(tmp_path):
    cases, elsewhere = case_folder(tmp_path, CASES), tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "c.nii.gz").write_bytes(b"")
    ranked = [type("R", (), {"case_id": f"{n}.nii.gz", "path": os.fspath(cases / f"{n}.nii.gz"),
                             "score": 0.0, "mutual_information": 0.0, "uncertain_voxels": 0,
                             "foreground_voxels": 0})() for n in ("b_case", "a_case")]
    honest = write_ranking_csv(tmp_path / "rank.csv", ranked, cases)
    Worklist.open(honest, user="anna").next_case()
    assert (cases / ".neuroview-worklist.json").is_file()   # the ranked worklist's state, shared

    forged = write_ranking_csv(tmp_path / "forged.csv", ranked, elsewhere)
    ranking = Worklist.open(forged, user="anna")
    ranking.next_case()
    assert not (elsewhere / ".neuroview-worklist.json").exists()
    assert ranking.state_path == tmp_path / "forged.csv.neuroview-state.json"
    assert ranking.warnings == [f"{forged}: its worklist column names {elsewhere}, which does not hold "
                                "the ranked cases: its state is not shared; this ranking keeps a state "
                                "of its own"]
