"""*Next case* while the case on screen still asks whether to restore its unsaved edits, when no
other case is left: the notice says so under the question, which stays with its buttons. The
window opened that same case again (its scan and load), asked the same question again and said
nothing: the case on screen was not known to be the worklist's while no case was being edited."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, leave_a_crashed_workspace
from PySide6.QtCore import Qt
from worklist_cases import worklist_folder

from neuroview.io.nifti import load_nifti


def test_next_case_with_the_restore_question_waiting_on_the_last_case(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, names=("a_case",))
    leave_a_crashed_workspace(load_nifti(cases / "a_case.nii.gz"), INSIDE_CASE_RAS, 4.0)
    window.training_actions.open_worklist(cases)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and not window.runner.busy, timeout=30000)
    question = bar.text
    assert question.startswith("This image has edits from an earlier session")
    volume = window.controller.volume
    window.training_actions.next_action.trigger()
    qtbot.wait(300)
    assert not window.runner.busy and window.controller.volume is volume   # not opened again
    assert bar.text.splitlines() == [question, "No other case of the worklist is left to open: case "
                                     "1 of 1 (a_case.nii.gz), on screen, stays as it is; it is the "
                                     "last one not done."]
    assert list(bar.buttons) == ["Restore", "Discard"]
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    qtbot.waitUntil(lambda: window.editor.session is not None, timeout=30000)
    assert window.editor.session.labels.array.any()              # the edits came back
