"""The status line and the Worklist panel count a worklist's cases with one function and say each
state with one word. For a case in the training set and marked done the status line said "2 in the
training set, 1 marked done" while the panel said "1 in the training set, 1 marked done", and the
panel's Done column read "done" for one done case and "marked done" for the other."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, stroke
from status_word import hold_the_word
from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist


def test_status_line_and_panel_count_alike(qtbot, window, tmp_path, monkeypatch):
    hold_the_word(monkeypatch)   # read as it showed, however slow the machine
    cases = worklist_folder(tmp_path, ("a_case", "b_case", "c_case"))
    before = Worklist.open(cases, user="dr.b")   # two cases sent earlier, one also marked done
    before.set_status("a_case.nii.gz", "in_training_set", training_case="nv_0001")
    before.set_status("b_case.nii.gz", "in_training_set", training_case="nv_0002")
    before.mark_done("b_case.nii.gz")
    before.leave()

    open_worklist(qtbot, window, cases)   # Next case: c, the one left
    assert window.training_actions.worklist_id == "c_case.nii.gz"
    counts = "2 of 3 done: 1 in the training set, 1 marked done"
    assert window.statusBar().currentMessage() == (
        f"Worklist case 3 of 3 (c_case.nii.gz, new) opened: {counts}.")
    panel = window.training_actions.panel
    assert panel.summary.text() == counts
    assert [row[3] for row in panel.rows()] == ["done", "done", ""]   # one word for one state
    # the Status column says it as the counts do (it read "in training set (nv_0001)")
    assert panel.rows()[0][2] == "in the training set (nv_0001)"
    assert panel.table.item(0, 3).toolTip() == "done: in the training set"
    assert panel.table.item(1, 3).toolTip() == "marked done (File > Worklist > Mark done)"

    window.training_actions.previous_case()   # b, to take it back: Mark not done
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "b_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    window.training_actions.mark_not_done()
    counts = "1 of 3 done: 1 in the training set; 1 marked not done"
    assert window.statusBar().currentMessage() == (
        "Marked not done: worklist case 2 of 3 (b_case.nii.gz, in the training set (nv_0002)); "
        f"{counts}. Next case offers it again.")
    assert panel.summary.text() == counts
    assert [row[3] for row in panel.rows()] == ["done", "not done", ""]


def test_the_status_line_follows_an_edit_and_a_send_as_the_panel_does(qtbot, window, tmp_path,
                                                                    monkeypatch):
    """The word on the case opened, while up, says the case's status and the counts as they are
    now: they were those of the moment the case opened, beside a panel row that followed."""
    hold_the_word(monkeypatch)   # the stroke's moves came 2.2 s after it showed at load 25: gone
    cases = worklist_folder(tmp_path, ("a_case", "b_case"))
    before = Worklist.open(cases, user="dr.b")
    before.set_status("a_case.nii.gz", "in_training_set", training_case="nv_0007")
    before.leave()
    dataset = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    open_worklist(qtbot, window, cases)   # b, the one left
    training = window.training_actions
    training.watch.timer.stop()   # the panel and the line follow the window's own work
    status = window.statusBar().currentMessage
    assert status() == ("Worklist case 2 of 2 (b_case.nii.gz, new) opened: 1 of 2 done: "
                        "1 in the training set.")

    window.editor.session.segments.add("lesion")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + np.array([6.0, 0, 0])])
    qtbot.waitUntil(lambda: training.panel.rows()[1][2] == "corrected", timeout=10000)
    counts = "1 of 2 done: 1 in the training set; 1 corrected"
    assert training.panel.summary.text() == counts
    assert status() == f"Worklist case 2 of 2 (b_case.nii.gz, corrected) opened: {counts}."

    training.send(str(dataset), annotator="dr.b")
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    counts = "2 of 2 done: 2 in the training set"
    assert training.panel.summary.text() == counts
    assert training.panel.rows()[1][2] == "in the training set (nv_0001)"
    assert status() == ("Worklist case 2 of 2 (b_case.nii.gz, in the training set (nv_0001)) "
                        f"opened: {counts}.")
