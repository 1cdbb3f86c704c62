"""The tooltips of *Previous case*, *Next case*, *Mark done* and *Mark not done* follow the state:
they said "(open one with File > Worklist ...)" while a worklist was open (walk of 7 Dec 2026);
with one open they say what a click does now, with the key, and *Previous* and *Next* name the
case they open (they named none until session 50)."""

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
        "No case before this one in the worklist: it is the first one (Ctrl+Shift+N)",
        "Open b_case.nii.gz, case 2 of 2: the next case not done (asks about unsaved edits first) "
        "(Ctrl+N)",
        "Mark a_case.nii.gz done: Next case passes over it (Ctrl+D)",
        "a_case.nii.gz is not done: nothing to undo (Ctrl+Shift+D)"]
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)   # Mark done
    qtbot.waitUntil(lambda: not training.mark_done_action.isEnabled(), timeout=10000)
    assert _tips(training)[2:] == ["a_case.nii.gz is done already (Ctrl+D)",
                                   "Mark a_case.nii.gz not done: Next case offers it again (Ctrl+Shift+D)"]
    assert not any("open one with" in tip for tip in _tips(training))


def test_previous_and_next_name_the_case_they_open(qtbot, window, tmp_path):
    training = window.training_actions
    training.watch.timer.setInterval(100)   # the others' marks read sooner than every 3 s
    cases = worklist_folder(tmp_path, ("a_case", "b_case", "c_case"))
    training.open_worklist(cases, case_id="b_case.nii.gz")
    qtbot.waitUntil(lambda: training.worklist_id == "b_case.nii.gz" and not window.runner.busy
                    and window.editor.session is not None, timeout=30000)
    previous, following = _tips(training)[:2]
    assert previous == ("Open a_case.nii.gz, case 1 of 3: the case before in list order (asks about "
                        "unsaved edits first) (Ctrl+Shift+N)")
    assert following.startswith("Open c_case.nii.gz, case 3 of 3: the next case not done")
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)             # b done; then c done too
    qtbot.waitUntil(lambda: not training.mark_done_action.isEnabled(), timeout=10000)
    from neuroview.dataset.worklist import Worklist

    Worklist.open(cases, user="ben").mark_done("c_case.nii.gz")       # another annotator's mark
    qtbot.waitUntil(lambda: _tips(training)[1].startswith("Open a_case.nii.gz, case 1 of 3"),
                    timeout=10000)                                     # read at the watch's tick
    Worklist.open(cases, user="ben").mark_done("a_case.nii.gz")
    qtbot.waitUntil(lambda: _tips(training)[1] == "No case of the worklist is left to do (Ctrl+N)",
                    timeout=10000)
