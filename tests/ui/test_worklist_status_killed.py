"""A worklist case edited in a window that is then killed (a real SIGKILL, its edits saved
nowhere but the crash journal) reads ``corrected`` to the next annotator opening the worklist:
the status is written at the first edit. Until session 36 it was written only when the user left
the case, and the case read ``new``."""

from __future__ import annotations

import signal
from pathlib import Path

from worklist_cases import worklist_folder

from neuroview.dataset.worklist import Worklist
from tests.durability import kill_when

HERE = Path(__file__).resolve().parent


def test_a_case_edited_in_a_killed_window_reads_corrected(tmp_path):
    cases = worklist_folder(tmp_path)
    said = []
    process = kill_when(HERE / "worklist_edit_child.py", [cases],
                        lambda line: said.append(line) or line.startswith("edited"),
                        pythonpath=[HERE, HERE.parent / "render"])
    assert process.returncode == -signal.SIGKILL, said
    assert said[-1].split() == ["edited", "a_case.nii.gz"]
    other = Worklist.open(cases, user="dr.other")
    assert [c.status for c in other.cases] == ["corrected", "new"]
    assert other.case("a_case.nii.gz").updated   # when, for the others' lists
