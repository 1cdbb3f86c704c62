"""A worklist case another annotator edited in a window that was then killed (the edits never
saved nor sent: they wait in that window's workspace, offered to that annotator alone) says so
to the next annotator *Next case* gives it to: in a walk of two annotators, anna was given ben's
killed case as ``corrected`` with an empty label map, told nothing, and labelled it again."""

from __future__ import annotations

import json

from worklist_cases import open_worklist, worklist_folder

from neuroview.app.shown_time import shown_time
from neuroview.dataset.worklist import Worklist

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_case_left_edited_and_unsaved_by_another_annotator_says_so(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    ben = Worklist.open(cases, user="ben")
    ben.open_case("a_case.nii.gz")
    ben.edited("a_case.nii.gz")   # ben's first stroke; then his window was killed (claim gone)
    ben.leave()

    open_worklist(qtbot, window, cases)
    qtbot.waitUntil(lambda: "ben" in window.notice_bar.text, timeout=10000)
    state = json.loads((cases / ".neuroview-worklist.json").read_text())["cases"]["a_case.nii.gz"]
    when = shown_time(state.get("edited", {}).get("at", ""))
    assert window.notice_bar.text == (
        f"ben edited this case ({when}) and did not save or send it: those edits are in ben's "
        "window only (offered to ben when the case opens there again); what you draw here "
        "labels it a second time.")
    assert when.endswith(" today")
    status = window.training_actions.panel.table.item(0, 2).toolTip()   # the Worklist panel's
    assert status == f"corrected; edited by ben ({when}), not saved"

    ben.take_back("a_case.nii.gz", "new", "")   # ben's edits undone, in another window of his
    assert Worklist.open(cases, user="anna").left_unsaved("a_case.nii.gz") is None


def test_a_lead_watching_is_told_of_a_killed_annotators_unsaved_edits(qtbot, window, tmp_path):
    """The lead watching (*Watch worklist folder...*) opened ben's killed case: `corrected` in the
    status line, nothing drawn, and nothing said but on the Worklist panel's hover (session 52's
    team walk); the notice bar now says whose edits are missing and where they are."""
    cases = worklist_folder(tmp_path)
    ben = Worklist.open(cases, user="ben")
    ben.open_case("a_case.nii.gz")
    ben.edited("a_case.nii.gz")   # ben's first stroke; then his window was killed (claim gone)
    ben.leave()

    window.training_actions.open_worklist(cases, case_id="a_case.nii.gz", watch=True)
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy, timeout=30000)
    state = json.loads((cases / ".neuroview-worklist.json").read_text())["cases"]["a_case.nii.gz"]
    when = shown_time(state["edited"]["at"])
    assert window.notice_bar.text.splitlines()[1:] == [
        f"ben edited this case ({when}) and did not save or send it: those edits are in ben's "
        "window only (offered to ben when the case opens there again); nothing of them can be "
        "shown here."]
    assert window.controller.labels is None   # nothing drawn: the line is what tells the lead

    window.training_actions.next_case()   # b_case: nobody's edits; the line is not said of it
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "b_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    assert "ben edited" not in window.notice_bar.text
