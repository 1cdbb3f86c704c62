"""*Previous case* (Ctrl+Shift+N) and *Mark done* (Ctrl+D) / *Mark not done* (Ctrl+Shift+D) in the
window, pressed as keys: there was no way back to a case but File > Open, and a case counted done
only once sent or saved to PACS. *Next case* says which cases it passed over because another
window has them open (it passed over them with no word)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from editor_helpers import INSIDE_CASE_RAS, answer_when_shown, shortcut, stroke, wait_for_session
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from status_word import hold_the_word
from worklist_cases import worklist_folder

from neuroview.dataset.worklist import Worklist
from neuroview.ui.help_menu import shortcut_rows

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

NAMES = ("a_case", "b_case", "c_case")


def _on(qtbot, window, case_id):
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == case_id and not window.runner.busy
                    and window.editor.session is not None, timeout=30000)


@pytest.fixture(autouse=True)
def _word_held(monkeypatch):
    """The word on the case opened is read after waits for the case (up to 30 s), past the 15 s
    the status line keeps it on a loaded machine (``status_word``)."""
    hold_the_word(monkeypatch)


def _line(window) -> str:
    return window.statusBar().currentMessage()


def _state(cases) -> dict:
    return json.loads((cases / ".neuroview-worklist.json").read_text())


def answer(window, button, asked) -> None:
    """Click ``button`` of the window's question box (Save / Discard / Cancel) when it shows."""
    answer_when_shown(lambda: next((b for b in window.findChildren(QMessageBox) if b.isVisible()),
                                   None), button, asked)


def _opened(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, NAMES)
    window.training_actions.open_worklist(cases)
    _on(qtbot, window, "a_case.nii.gz")
    return cases


def test_previous_case_goes_back_by_its_key_and_is_listed(qtbot, window, tmp_path):
    training = window.training_actions
    assert not training.previous_action.isEnabled()                  # until a worklist is open
    cases = _opened(qtbot, window, tmp_path)
    rows = shortcut_rows(window.menuBar())
    listed = {(command, keys) for where, command, keys in rows if where == "File > Worklist"}
    assert {("Previous case", "Ctrl+Shift+N"), ("Next case", "Ctrl+N"), ("Mark done", "Ctrl+D"),
            ("Mark not done", "Ctrl+Shift+D")} <= listed

    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)
    _on(qtbot, window, "b_case.nii.gz")
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    _on(qtbot, window, "a_case.nii.gz")
    assert window.controller.volume.source_path == str(cases / "a_case.nii.gz")
    assert _line(window) == "Worklist case 1 of 3 (a_case.nii.gz, new) opened: 0 of 3 done."
    assert list(_state(cases)["stopped_at"].values()) == ["a_case.nii.gz"]

    shown = window.controller.volume                                 # the first case: it stays
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.wait(200)
    assert not window.runner.busy and window.controller.volume is shown
    assert window.notice_bar.text == ("No case before this one in the worklist: case 1 of 3 "
                                      "(a_case.nii.gz), on screen, stays as it is; it is the first one.")


def test_previous_case_asks_before_unsaved_edits_are_thrown_away(qtbot, window, tmp_path):
    cases = _opened(qtbot, window, tmp_path)
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)
    _on(qtbot, window, "b_case.nii.gz")
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    painted = session.labels.array.copy()
    assert painted.any()
    assert _state(cases)["cases"]["b_case.nii.gz"]["status"] == "corrected"   # from the first edit

    asked = []
    answer(window, QMessageBox.Cancel, asked)                       # Cancel: nothing moves
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    qtbot.wait(200)
    assert asked == ["The labels of this image have edits that are not saved."]
    assert window.training_actions.worklist_id == "b_case.nii.gz"
    assert np.array_equal(window.editor.session.labels.array, painted)

    asked.clear()
    answer(window, QMessageBox.Discard, asked)                      # Discard: back, b new again
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    _on(qtbot, window, "a_case.nii.gz")
    assert asked
    assert _state(cases)["cases"]["b_case.nii.gz"]["status"] == "new"
    assert not window.editor.session.labels.array.any()


def test_mark_done_and_not_done_by_key_show_in_the_list_and_the_counts(qtbot, window, tmp_path):
    cases = _opened(qtbot, window, tmp_path)
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)
    assert _line(window) == ("Marked done: worklist case 1 of 3 (a_case.nii.gz, new); 1 of 3 done: "
                             "1 marked done. Next case passes over it.")
    assert _state(cases)["cases"]["a_case.nii.gz"]["mark"] == "done"
    assert Worklist.open(cases, user="ben").resume().case_id == "b_case.nii.gz"   # for everyone

    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)
    _on(qtbot, window, "c_case.nii.gz")                              # ben has b open: passed over
    assert _line(window) == ("Worklist case 3 of 3 (c_case.nii.gz, new) opened: 1 of 3 done: 1 marked "
                             "done; ben has b_case.nii.gz open; Next case passed over "
                             "b_case.nii.gz (open in another window).")

    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    _on(qtbot, window, "a_case.nii.gz")                              # back past b, to a done case
    assert _line(window) == ("Worklist case 1 of 3 (a_case.nii.gz, new, marked done) opened: 1 of 3 "
                             "done: 1 marked done; ben has b_case.nii.gz open; Previous "
                             "case passed over b_case.nii.gz (open in another window).")
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier | Qt.ShiftModifier)
    assert _line(window) == ("Marked not done: worklist case 1 of 3 (a_case.nii.gz, new); 0 of 3 "
                             "done. Next case offers it again.")
    assert "mark" not in _state(cases)["cases"]["a_case.nii.gz"]


def test_mark_done_and_not_done_are_enabled_only_where_they_change_something(qtbot, window, tmp_path):
    training = window.training_actions
    marks = (training.mark_done_action, training.mark_not_done_action)

    def enabled():
        return tuple(action.isEnabled() for action in marks)

    assert enabled() == (False, False)                               # no worklist
    _opened(qtbot, window, tmp_path)
    assert enabled() == (True, False)                                # a new case: done only
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)
    assert enabled() == (False, True)                                # marked done: not done only
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier | Qt.ShiftModifier)
    assert enabled() == (True, False)


def test_every_case_marked_done_says_so(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, NAMES[:2])
    window.training_actions.open_worklist(cases)
    _on(qtbot, window, "a_case.nii.gz")
    Worklist.open(cases, user="ben").mark_done("b_case.nii.gz")       # ben's work, meanwhile
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)
    assert _line(window).endswith("; 2 of 2 done: 2 marked done. Next case passes over it.")
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)
    qtbot.waitUntil(lambda: "done" in window.notice_bar.text, timeout=10000)
    assert window.notice_bar.text == ("Every case of the worklist is done (in the training set, "
                                      "sent to PACS or marked done).")


def test_mark_done_of_no_case_or_an_unwritable_state_says_why_and_keeps_the_state(qtbot, window, tmp_path):
    """An image opened by hand is no worklist case: Mark done is greyed out, and says so when
    called (it would mark the case it replaced). A state that cannot be written says which file,
    and the state stays as it was."""
    from editor_helpers import open_image, write_image

    cases = _opened(qtbot, window, tmp_path)
    other, _ = write_image(tmp_path, name="other")
    open_image(qtbot, window, other)
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "" and not window.runner.busy,
                    timeout=30000)
    training = window.training_actions
    assert not training.mark_done_action.isEnabled() and not training.mark_not_done_action.isEnabled()
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)           # greyed: the key does nothing
    assert all("mark" not in item for item in _state(cases)["cases"].values())
    training.mark_done()                                            # (from a script) says why
    assert window.message_bar.text == ("the image on screen is no case of the worklist: Next case "
                                       "or Previous case opens one")

    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)
    _on(qtbot, window, "b_case.nii.gz")
    before = (cases / ".neuroview-worklist.json").read_text()
    lock = cases / ".neuroview-worklist.json.lock"
    lock.unlink()
    lock.mkdir()                                   # the lock cannot be taken: nothing is written
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)
    assert window.message_bar.text == (f"{lock}: worklist state not saved: its lock file cannot "
                                       "be opened (Is a directory); the previous state is kept")
    assert (cases / ".neuroview-worklist.json").read_text() == before
    assert window.training_actions.worklist_id == "b_case.nii.gz"      # the window goes on
