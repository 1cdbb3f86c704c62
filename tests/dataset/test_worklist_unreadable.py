"""A worklist case whose files cannot be opened is marked ``unreadable`` (a few words, no path) in
the state file, for every annotator: *Next case* passes over it and nobody holds its claim. The
window that failed to open it kept it claimed while showing another case, so no one else got it,
and *Next case* of the others stopped on it in turn. Claims are exclusive across processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.worklist import Worklist
from tests.checkout import REPO
from tests.dataset.case_folder import case_folder


def _state(folder):
    return json.loads((folder / ".neuroview-worklist.json").read_text())


def test_an_unreadable_case_is_given_up_marked_and_passed_over_by_everyone(tmp_path):
    folder = case_folder(tmp_path, count=3)
    anna = Worklist.open(folder, user="anna")
    assert anna.resume().case_id == "c01.nii.gz"
    assert anna.next_case().case_id == "c02.nii.gz"
    anna.set_unreadable("c02.nii.gz", "no image found")
    state = _state(folder)
    assert [claim["case"] for claim in state["open_by"].values()] == []     # given up
    assert state["cases"]["c02.nii.gz"]["unreadable"] == "no image found"
    assert str(tmp_path) not in state["cases"]["c02.nii.gz"]["unreadable"]
    assert anna.next_case().case_id == "c03.nii.gz"                          # past c02

    ben = Worklist.open(folder, user="ben")
    assert ben.unreadable() == {"c02.nii.gz": "no image found"}
    assert ben.resume().case_id == "c01.nii.gz"
    ben.set_status("c01.nii.gz", "in_training_set", training_case="nv_0001")
    assert ben.next_case().case_id == "c03.nii.gz"    # anna's, the only one left: not c02


def test_a_user_who_stopped_on_an_unreadable_case_resumes_past_it(tmp_path):
    folder = case_folder(tmp_path, count=3)
    anna = Worklist.open(folder, user="anna")
    anna.open_case("c02.nii.gz")
    anna.set_unreadable("c02.nii.gz", "no image found")
    anna.leave()
    assert Worklist.open(folder, user="anna").resume().case_id == "c03.nii.gz"


def test_the_mark_goes_when_the_case_opens(tmp_path):
    folder = case_folder(tmp_path, count=2)
    anna = Worklist.open(folder, user="anna")
    anna.set_unreadable("c01.nii.gz", "no image found")
    anna.set_unreadable("c02.nii.gz", "not a NIfTI file")
    assert anna.next_case() is None                       # nothing left to open
    anna.set_unreadable("c02.nii.gz", "")                 # fixed, and opened by hand
    assert "unreadable" not in _state(folder)["cases"]["c02.nii.gz"]
    assert Worklist.open(folder, user="ben").next_case().case_id == "c02.nii.gz"


_NEXT = ("import sys, time; from neuroview.dataset.worklist import Worklist\n"
         "worklist = Worklist.open(sys.argv[1], user=sys.argv[3])\n"
         "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
         "print(worklist.next_case().case_id, flush=True); sys.stdin.read()")


def test_windows_in_several_processes_asking_at_once_get_different_cases(tmp_path):
    """Three windows (processes) press *Next case* at the same moment: the state file's lock
    makes each choose from what the others claimed (10 runs of 4 processes: no case twice)."""
    folder = case_folder(tmp_path, count=4)
    start = time.time() + 3.0
    windows = [subprocess.Popen([sys.executable, "-c", _NEXT, str(folder), str(start), user],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
               for user in ("anna", "ben", "carl")]
    try:
        cases = [window.stdout.readline().strip() for window in windows]
        assert len(set(cases)) == 3 and set(cases) <= {f"c0{n}.nii.gz" for n in range(1, 5)}
        assert sorted(claim["case"] for claim in _state(folder)["open_by"].values()) == sorted(cases)
    finally:
        for window in windows:
            window.stdin.close()
            window.wait(30)


def test_recount_leaves_out_a_removed_case_and_goes_on_after_the_one_before(tmp_path):
    """The current case removed from disk: the worklist lists the cases again, as opening it
    again does, and Next case goes on from the case before it; a case found keeps its state."""
    from neuroview.dataset.worklist import Worklist

    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("a.nii.gz", "b.nii.gz", "c.nii.gz"):
        (cases / name).write_bytes(b"")
    worklist = Worklist.open(cases, user="ann")
    worklist.set_status("c.nii.gz", "corrected")
    assert worklist.next_case().case_id == "a.nii.gz"
    assert worklist.next_case().case_id == "b.nii.gz"
    (cases / "b.nii.gz").unlink()
    (cases / "d.nii.gz").write_bytes(b"")
    assert worklist.recount() == ["b.nii.gz"]
    assert [c.case_id for c in worklist.cases] == ["a.nii.gz", "c.nii.gz", "d.nii.gz"]
    assert (worklist.current, worklist.holding) == ("a.nii.gz", False)
    assert worklist.case("c.nii.gz").status == "corrected"
    assert worklist.next_case().case_id == "c.nii.gz"
    assert worklist.recount() == []


def test_recount_of_a_worklist_folder_gone_says_so_in_one_line(tmp_path):
    """The worklist's folder itself went (a share unmounted): one line naming it, the worklist as
    it was (it read "cannot read the worklist ([Errno 2] No such file or directory: ...)")."""
    cases = tmp_path / "cases"
    for name in ("a_case", "b_case"):
        (cases / name).mkdir(parents=True)
    worklist = Worklist.open(cases, state_path=tmp_path / "state.json", user="ann")
    shutil.rmtree(cases)
    with pytest.raises(DatasetError) as raised:
        worklist.recount()
    assert str(raised.value) == (f"{cases}: is no longer there (moved, deleted, or its share "
                                 "unmounted): the worklist stays as it was")
    assert [c.case_id for c in worklist.cases] == ["a_case", "b_case"]
