"""*File > Worklist > Skip case...* marks the case on screen done with the reason typed, *File > Send
back...* marks it not done with what to fix; the words go to the worklist's state for every
annotator, show in the Worklist panel's *Done* tooltip, and are said in the notice bar to whoever
opens the case. Until session 42 a mark said nothing of why: an annotator skipping a case could
not say why, and a lead sending one back could not say what was wrong."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog
from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.worklist import Worklist


def test_skip_and_send_back_keep_their_words_for_the_others(qtbot, window, tmp_path, monkeypatch):
    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases)
    training = window.training_actions
    user = training.worklist.user
    assert training.skip_action.isEnabled() and not training.send_back_action.isEnabled()
    typed = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: typed.pop(0))

    typed.append(("", False))                      # Cancel: nothing marked
    training.skip_action.trigger()
    assert not Worklist.open(cases, user="lead").case("a_case.nii.gz").done

    typed.append(("motion, unusable", True))
    training.skip_action.trigger()
    case = Worklist.open(cases, user="lead").case("a_case.nii.gz")
    assert (case.done, case.note, case.note_by) == (True, "motion, unusable", user)
    assert window.statusBar().currentMessage().endswith(f"{user} skipped this case: motion, unusable.")
    assert training.panel.table.item(0, 3).toolTip().endswith(f"{user} skipped this case: motion, unusable")
    assert training.send_back_action.isEnabled() and not training.skip_action.isEnabled()

    typed.append(("lesion 3 missed", True))
    training.send_back_action.trigger()
    assert Worklist.open(cases, user="lead").case("a_case.nii.gz").note == "lesion 3 missed"
    assert training.panel.table.item(0, 3).toolTip() == f"{user} sent this case back: lesion 3 missed"
    training.go_to_case("b_case.nii.gz")
    qtbot.waitUntil(lambda: training.worklist_id == "b_case.nii.gz" and not window.runner.busy, timeout=30000)
    training.go_to_case("a_case.nii.gz")           # whoever opens it is told
    qtbot.waitUntil(lambda: f"{user} sent this case back: lesion 3 missed" in window.notice_bar.text,
                    timeout=30000)
