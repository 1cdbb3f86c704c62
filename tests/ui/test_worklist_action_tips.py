"""The tooltips of *Previous case*, *Next case*, *Mark done* and *Mark not done* follow the state:
they said "(open one with File > Worklist ...)" while a worklist was open (walk of 7 Dec 2026);
with one open they say what a click does now, with the key."""

from __future__ import annotations

from editor_helpers import shortcut
from PySide6.QtCore import Qt
from worklist_cases import worklist_folder


def _tips(training) -> list[str]:
    return [action.toolTip() for action in training.worklist_actions]


def test_the_tips_say_what_each_does_now_with_its_key(qtbot, window, tmp_path):
    training = window.training_actions
    assert all("open one with File > Worklist" in tip for tip in _tips(training))   # none open
    training.open_worklist(worklist_folder(tmp_path, ("a_case", "b_case")))
    qtbot.waitUntil(lambda: training.worklist_id == "a_case.nii.gz" and not window.runner.busy
                    and window.editor.session is not None, timeout=30000)
    assert _tips(training) == [
        "Open the previous case of the worklist, in list order (asks about unsaved edits first) "
        "(Ctrl+Shift+N)",
        "Open the next case of the worklist not done (asks about unsaved edits first) (Ctrl+N)",
        "Mark a_case.nii.gz done: Next case passes over it (Ctrl+D)",
        "a_case.nii.gz is not done: nothing to undo (Ctrl+Shift+D)"]
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)   # Mark done
    qtbot.waitUntil(lambda: not training.mark_done_action.isEnabled(), timeout=10000)
    assert _tips(training)[2:] == ["a_case.nii.gz is done already (Ctrl+D)",
                                   "Mark a_case.nii.gz not done: Next case offers it again (Ctrl+Shift+D)"]
    assert not any("open one with" in tip for tip in _tips(training))
