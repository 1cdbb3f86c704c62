"""The status line and the Worklist panel count a worklist's cases with one function and say each
state with one word. For a case in the training set and marked done the status line said "2 in the
training set, 1 marked done" while the panel said "1 in the training set, 1 marked done", and the
panel's Done column read "done" for one done case and "marked done" for the other."""

from __future__ import annotations

from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.worklist import Worklist


def test_status_line_and_panel_count_alike(qtbot, window, tmp_path):
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
    assert panel.table.item(0, 3).toolTip() == "done: in the training set"
    assert panel.table.item(1, 3).toolTip() == "marked done (File > Mark done)"

    window.training_actions.previous_case()   # b, to take it back: Mark not done
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "b_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    window.training_actions.mark_not_done()
    counts = "1 of 3 done: 1 in the training set; 1 marked not done"
    assert window.statusBar().currentMessage() == (
        "Marked not done: worklist case 2 of 3 (b_case.nii.gz, in training set (nv_0002)); "
        f"{counts}. Next case offers it again.")
    assert panel.summary.text() == counts
    assert [row[3] for row in panel.rows()] == ["done", "not done", ""]
