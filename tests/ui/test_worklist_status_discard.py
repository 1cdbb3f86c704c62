"""A worklist case reads ``corrected`` from its first edit; when the user answers Discard, the
state file says again what the case was, on quitting too, and only once the edits have left the
screen: a Discard answered to an open that then fails leaves the edits on screen, and the case
``corrected`` (it read ``new`` with the edits on screen until the next edit)."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, answer_when_shown, stroke
from PySide6.QtWidgets import QMessageBox
from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.worklist import Worklist


def status(cases, case_id="a_case.nii.gz") -> str:
    """The case's status as another annotator reads the state file."""
    return Worklist.open(cases, user="dr.other").case(case_id).status


def edit_the_case(qtbot, window, cases) -> None:
    open_worklist(qtbot, window, cases)
    window.training_actions.watch.timer.stop()
    window.editor.session.segments.add("lesion")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    assert window.editor.session.labels.array.any() and window.editor.case.modified
    assert status(cases) == "corrected"


def test_quitting_and_discarding_puts_the_status_back(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    edit_the_case(qtbot, window, cases)
    asked = []
    answer_when_shown(lambda: window.edit_actions.quit_box, QMessageBox.Discard, asked)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert asked and status(cases) == "new"


def test_quitting_and_saving_leaves_it_corrected(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    cases = worklist_folder(tmp_path)
    edit_the_case(qtbot, window, cases)
    target = tmp_path / "labels.nii.gz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    asked = []
    answer_when_shown(lambda: window.edit_actions.quit_box, QMessageBox.Save, asked)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert asked and target.is_file() and status(cases) == "corrected"


def test_discard_then_a_failed_open_keeps_the_edits_corrected(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    edit_the_case(qtbot, window, cases)
    session = window.editor.session
    (cases / "b_case.nii.gz").write_bytes(b"not an image")   # damaged since the worklist opened
    asked = []
    answer_when_shown(lambda: window.edit_actions.quit_box, QMessageBox.Discard, asked)
    window.training_actions.go_to_case("b_case.nii.gz")
    qtbot.waitUntil(lambda: window.training_actions.opening is None and not window.runner.busy,
                    timeout=30000)
    assert asked and window.editor.session is session and session.labels.array.any()
    assert status(cases) == "corrected"                  # the edits are still on screen
    assert status(cases, "b_case.nii.gz") == "new" and Worklist.open(cases).case("b_case.nii.gz").unreadable


def test_discard_then_a_file_that_fails_to_open_keeps_it_corrected(qtbot, window, tmp_path, monkeypatch):
    from unsaved_edits import file_open

    cases = worklist_folder(tmp_path)
    edit_the_case(qtbot, window, cases)
    session, broken = window.editor.session, tmp_path / "broken.nii.gz"
    broken.write_bytes(b"not an image")
    asked = []
    answer_when_shown(lambda: window.edit_actions.quit_box, QMessageBox.Discard, asked)
    file_open(window, monkeypatch, broken)               # File > Open, no case of the worklist
    qtbot.waitUntil(lambda: bool(asked) and not window.runner.busy, timeout=30000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Nothing opened"), timeout=30000)
    assert window.editor.session is session and status(cases) == "corrected"
