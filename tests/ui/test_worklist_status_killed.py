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


def test_the_status_is_written_once_each_way_not_at_every_stroke(qtbot, window, tmp_path, monkeypatch):
    from editor_helpers import INSIDE_CASE_RAS, shortcut, stroke
    from PySide6.QtCore import Qt
    from worklist_cases import open_worklist

    cases = worklist_folder(tmp_path)
    Worklist.open(cases, user="dr.other").set_status("b_case.nii.gz", "corrected")   # on an earlier day
    open_worklist(qtbot, window, cases)
    window.training_actions.watch.timer.stop()
    saves = []
    real = Worklist.save
    monkeypatch.setattr(Worklist, "save", lambda self: saves.append(1) or real(self))
    on_disk = lambda: Worklist.open(cases, user="dr.other").case("a_case.nii.gz").status   # noqa: E731

    def strokes():
        window.editor.session.segments.add("lesion")
        window.edit_actions.panel.select_tool("paint")
        for step in range(3):
            stroke(window, "axial", [INSIDE_CASE_RAS + [0, 2.0 * step, 0],
                                     INSIDE_CASE_RAS + [6.0, 2.0 * step, 0]])

    strokes()
    assert len(saves) == 1 and on_disk() == "corrected"
    for _ in range(4):                                  # the strokes and the segment taken back
        shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert len(saves) == 2 and on_disk() == "new"

    window.training_actions.go_to_case("b_case.nii.gz")   # corrected before: nothing to write
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "b_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    saves.clear()
    strokes()
    assert len(saves) == 1   # the first edit's look at the state file, no more
    assert Worklist.open(cases, user="dr.other").case("b_case.nii.gz").status == "corrected"
