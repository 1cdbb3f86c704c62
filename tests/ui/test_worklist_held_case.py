"""A worklist case another annotator has open says so when it opens (a ranking's proposed case,
or the last case left, is given to a second annotator): both used to label it, told nothing, and
the second Send replaced the first's label. The worklist line names who has which case."""

from __future__ import annotations

import pytest
from status_word import hold_the_word
from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.worklist import Worklist

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture(autouse=True)
def _word_held(monkeypatch):
    """The word on the case opened is read after waits for the case (up to 30 s), past the 15 s
    the status line keeps it on a loaded machine (``status_word``)."""
    hold_the_word(monkeypatch)


def _line(window) -> str:
    """The status line's word on the worklist case on screen (it went into the Measurements list,
    among the user's rulers, until session 28: that list stays empty)."""
    assert window.measurements.count() == 0
    return window.statusBar().currentMessage()


def test_opening_a_case_another_annotator_has_open_says_who(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    other = Worklist.open(cases, user="dr.b")   # this (live) process stands for dr.b's window
    other.open_case("a_case.nii.gz")

    # as the Rank dialog's "Open the proposed case" opens it
    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    qtbot.waitUntil(lambda: "dr.b" in window.notice_bar.text, timeout=10000)
    assert "has this case open too" in window.notice_bar.text
    assert _line(window) == ("Worklist case 1 of 2 (a_case.nii.gz, new) opened: 0 of 2 done; "
                             "dr.b has a_case.nii.gz open.")

    other.leave()                    # dr.b closed the window; dr.b's Next case is taken elsewhere
    window.notice_bar.hide()
    window.training_actions.next_case()
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "b_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    assert "open too" not in window.notice_bar.text
    assert _line(window).startswith("Worklist case 2 of 2 (b_case.nii.gz, new) opened: ")
    assert "dr.b" not in _line(window)


def test_next_case_keeps_a_case_another_annotator_sent_meanwhile(qtbot, window, tmp_path):
    """Next case marks an edited case ``corrected`` only if nobody finished it meanwhile: it wrote
    ``corrected`` over dr.b's ``in_training_set`` (the status it read when the case opened), and
    the case was offered again (a two-window walk: "0 in the training set, 1 corrected")."""
    from editor_helpers import INSIDE_CASE_RAS, stroke

    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases)
    session = window.editor.session
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [8.0, 0, 0]])
    assert window.editor.can_undo()

    Worklist.open(cases, user="dr.b").set_status("a_case.nii.gz", "in_training_set", "nv_0001")
    window.training_actions.next_case()
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "b_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    assert Worklist.open(cases, user="dr.c").case("a_case.nii.gz").status == "in_training_set"
    assert _line(window) == ("Worklist case 2 of 2 (b_case.nii.gz, new) opened: 1 of 2 done: 1 in "
                             "the training set.")
