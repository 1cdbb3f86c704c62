"""A worklist case whose labels a colleague saved (and left) is offered with their name and time:
the offer named the file alone, ``The labels of this case were saved to a_case-labels.nii.gz;
load them?``, so the next annotator took a colleague's half-done labels for their own (a walk of
two annotators, one lead); the Worklist panel's Status tooltip names them too. The offer of one's
own saved labels reads as before."""

from __future__ import annotations

import json

from worklist_cases import open_worklist, saved_two_label_mask, worklist_folder

from neuroview.app.shown_time import shown_time
from neuroview.dataset.worklist import Worklist
from neuroview.io.nifti import load_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_labels_a_colleague_saved_are_offered_with_their_name(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    volume = load_nifti(cases / "a_case.nii.gz")
    mask, _ = saved_two_label_mask(cases, volume)
    ben = Worklist.open(cases, user="ben")
    ben.open_case("a_case.nii.gz")
    ben.set_labels("a_case.nii.gz", mask)   # ben saved them, then closed his window
    ben.leave()

    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    qtbot.waitUntil(lambda: "load them?" in window.notice_bar.text, timeout=10000)
    saved = json.loads((cases / ".neuroview-worklist.json").read_text())["cases"]["a_case.nii.gz"]
    when = shown_time(saved.get("labels_saved", {}).get("at", ""))
    assert window.notice_bar.text == (f"The labels of this case were saved to two.nii.gz by ben "
                                      f"({when}); load them?")
    assert when.endswith(" today")
    # the lead's Worklist panel says who did the work, on the Status cell
    status = window.training_actions.panel.table.item(0, 2).toolTip()
    assert status == f"corrected; labels saved by ben ({when})"


def test_labels_saved_before_the_case_was_sent_say_so(qtbot, window, tmp_path):
    """anna saved half-done labels, ben finished and sent the case: a lead opening it was offered
    anna's labels in the words of a case's labels, nothing said of ben's send (session 47's walk)."""
    from datetime import datetime, timedelta, timezone

    cases = worklist_folder(tmp_path)
    volume = load_nifti(cases / "a_case.nii.gz")
    mask, _ = saved_two_label_mask(cases, volume)
    anna = Worklist.open(cases, user="anna")
    anna.open_case("a_case.nii.gz")
    anna.set_labels("a_case.nii.gz", mask)
    anna.leave()
    Worklist.open(cases, user="ben").set_status("a_case.nii.gz", "in_training_set", "nv_0007")
    state = cases / ".neuroview-worklist.json"   # anna saved a minute before ben's send
    kept = json.loads(state.read_text())
    kept["cases"]["a_case.nii.gz"]["labels_saved"]["at"] = (
        datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat(timespec="milliseconds") \
        .replace("+00:00", "Z")
    state.write_text(json.dumps(kept))

    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    qtbot.waitUntil(lambda: "load them?" in window.notice_bar.text, timeout=10000)
    saved = json.loads((cases / ".neuroview-worklist.json").read_text())["cases"]["a_case.nii.gz"]
    when, sent = shown_time(saved["labels_saved"]["at"]), shown_time(saved["updated"])
    assert window.notice_bar.text == (
        f"The labels of this case were saved to two.nii.gz by anna ({when}), before the case was "
        f"sent to the training set as nv_0007 ({sent}): the labels sent there may hold more; "
        "load them?")
