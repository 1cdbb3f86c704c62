"""A segment removed keeps its annotators' time on the case's record: ben deleting the lesion of
anna's saved labels (a wrong one) and drawing his own took anna's minutes out of his save and of
the training set until session 48 (``app.removed_work``)."""

from __future__ import annotations

import json

from neuroview.app.case import Case
from neuroview.app.edit_clock import EditClock
from neuroview.app.label_files import sidecar_path
from neuroview.app.session import Session
from tests.app.handoff_worker import open_case, paint
from tests.durability import killed_after


def _anna_saves(image, tmp_path):
    anna = open_case(image, tmp_path / "ws-anna", 10.0)
    paint(anna, 2)
    saved = tmp_path / "anna.nii.gz"
    anna.save_labels(saved, annotator="anna")
    anna.close()
    return saved, json.loads(sidecar_path(saved).read_text())[0]["work"]


def _ben_replaces_annas_lesion(image, workspace, anna_file):
    ben = open_case(image, workspace, 5.0)
    ben.session.load_labels(anna_file)
    ben.session.segments.remove("lesion")          # anna's lesion was wrong
    ben.session.segments.add("edema")
    paint(ben, 1, shift=-30.0)                     # his own "lesion", at the freed value
    return ben


def _reopened(image, workspace) -> Case:
    return Case(Session.open(image, workspace=workspace), workspace, clock=EditClock(lambda: 0.0))


def test_the_removed_segments_work_stays_through_undo_save_and_reload(small_image, tmp_path):
    anna_file, anna_work = _anna_saves(small_image, tmp_path)
    ben = _ben_replaces_annas_lesion(small_image, tmp_path / "ws-ben", anna_file)
    assert "lesion" in ben.session.segments and not ben.session.segments["lesion"].work
    assert [w["annotator"] for w in ben.work_done("ben")] == ["anna", "ben"]
    assert ben.work_done("ben")[0] == anna_work[0]
    ben_file, ben_s = tmp_path / "ben.nii.gz", ben.clock.seconds   # the save reads the clock again
    ben.save_labels(ben_file, annotator="ben")
    for _ in range(4):             # the paint, both adds and the removal taken back: anna's lesion again
        ben.session.undo()
    assert ben.session.segments["lesion"].work == tuple(anna_work)
    assert [w["annotator"] for w in ben.work_done("ben")] == ["anna", "ben"]   # once
    ben.close()

    lead = open_case(small_image, tmp_path / "ws-lead", 0.0)
    lead.session.load_labels(ben_file)             # ben's file: anna's time is in its rows
    work = lead.work_done("lead")
    assert [(w["annotator"], w["editing_seconds"]) for w in work] == [
        ("anna", anna_work[0]["editing_seconds"]), ("ben", ben_s)]
    lead.close()


def test_the_removed_segments_work_survives_a_kill_before_and_after_a_save(small_image, tmp_path):
    anna_file, anna_work = _anna_saves(small_image, tmp_path)

    def removed_then_killed(workspace, save):
        ben = _ben_replaces_annas_lesion(small_image, workspace, anna_file)
        if save:                                    # compacts: the removal goes behind the base
            ben.save_labels(tmp_path / "ben.nii.gz", annotator="ben")
            paint(ben, 1, shift=-40.0)

    for save in (False, True):
        workspace = tmp_path / f"ws-ben-{save}"
        killed_after(removed_then_killed, workspace, save)
        ben = _reopened(small_image, workspace)
        assert ben.session.restored_steps > 0
        work = ben.work_done("ben")
        assert [w["annotator"] for w in work] == ["anna", "ben"], (save, work)
        assert work[0] == anna_work[0]
        ben.close()
