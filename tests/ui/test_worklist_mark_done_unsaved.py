"""*Mark done* (Ctrl+D) of a worklist case with unsaved edits asks Save / Discard / Cancel first, as
leaving the case does. Next case does not open a case marked done again: the mark went in at once,
the edits waited in the crash journal alone, and a window killed then (found in session 45's
annotation walk: paint, Ctrl+D, SIGKILL) reopened the worklist on the next case, the edited one
read `corrected, done` and its edits were offered nowhere."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
from editor_helpers import INSIDE_CASE_RAS, shortcut, stroke
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from unsaved_edits import answer_question
from worklist_cases import worklist_folder

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _case(window) -> str:
    return window.training_actions.worklist_id


def _state(cases, case_id="a_case.nii.gz") -> dict:
    return json.loads((cases / ".neuroview-worklist.json").read_text())["cases"][case_id]


def _painted(qtbot, window, tmp_path):
    """The worklist a_case, b_case open on a_case, one stroke painted on it: (cases, labels)."""
    cases = worklist_folder(tmp_path)
    window.training_actions.open_worklist(cases)
    qtbot.waitUntil(lambda: _case(window) == "a_case.nii.gz" and window.editor.session is not None
                    and not window.runner.busy, timeout=30000)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    painted = window.editor.session.labels.array.copy()
    assert painted.any()
    return cases, painted


def test_save_answered_writes_the_labels_then_marks_and_next_asks_nothing(qtbot, window, tmp_path,
                                                                        monkeypatch):
    cases, painted = _painted(qtbot, window, tmp_path)
    target = cases / "a_case-labels.nii.gz"   # beside the case (a worklist names no other)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    asked = []
    answer_question(window, QMessageBox.Save, asked)
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _state(cases).get("mark") == "done", timeout=10000)
    assert asked == ["The labels of this image have edits that are not saved."]
    assert np.array_equal(np.asarray(nib.load(target).dataobj), painted)   # saved before the mark
    assert _state(cases)["labels"] == str(target)
    assert window.statusBar().currentMessage().startswith("Marked done: worklist case 1 of 2 ")

    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)   # saved: leaving asks nothing more
    qtbot.waitUntil(lambda: _case(window) == "b_case.nii.gz" and not window.runner.busy, timeout=30000)
    assert len(asked) == 1


def test_cancel_answered_marks_nothing(qtbot, window, tmp_path):
    cases, painted = _painted(qtbot, window, tmp_path)
    asked = []
    answer_question(window, QMessageBox.Cancel, asked)
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert "mark" not in _state(cases)
    assert window.training_actions.mark_done_action.isEnabled()
    assert np.array_equal(window.editor.session.labels.array, painted)


def test_discard_answered_marks_and_next_does_not_ask_again(qtbot, window, tmp_path):
    cases, _ = _painted(qtbot, window, tmp_path)
    asked = []
    answer_question(window, QMessageBox.Discard, asked)
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _state(cases).get("mark") == "done", timeout=10000)
    assert len(asked) == 1
    waiting = answer_question(window, QMessageBox.Cancel, asked)   # a second question would keep the case
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _case(window) == "b_case.nii.gz" and not window.runner.busy, timeout=30000)
    waiting[0] = False
    assert len(asked) == 1
    assert _state(cases)["status"] == "new"   # its edits dropped, as Discard said


def test_labels_saved_outside_the_worklist_are_said_not_shared(qtbot, window, tmp_path):
    """A worklist's state names labels files in its own folders only (session 50): a save
    elsewhere is kept from it, and the annotator is told the others will not find it."""
    from editor_helpers import save_and_wait

    cases, _ = _painted(qtbot, window, tmp_path)
    save_and_wait(window, tmp_path / "elsewhere-labels.nii.gz")
    qtbot.waitUntil(lambda: "Saved" in window.notice_bar.text, timeout=10000)
    assert window.notice_bar.text.split("\n")[-1] == (
        "elsewhere-labels.nii.gz lies outside the worklist's folders: the others working through it "
        "(the lead's watch mode, Adjudicate) do not read it; save it beside the case to share it.")
    assert _state(cases)["status"] == "corrected" and _state(cases)["labels"] == ""
