"""A case handed from one annotator to another: the training set records every annotator who saved
labels on it and their editing time. Until session 47, ben finishing anna's saved labels sent the
case as ben's, with ben's minutes alone (session 46's walk)."""

from __future__ import annotations

import itertools
import json
import random
import signal
import sys

from neuroview.app.case import Case
from neuroview.app.edit_clock import EditClock
from neuroview.app.label_files import sidecar_path
from neuroview.app.session import Session
from neuroview.core.segment_work import merge_work
from neuroview.dataset.layout import init_dataset
from tests.durability import fork_killed


def _case(image, workspace, step_s: float) -> Case:
    ticks = itertools.count()
    return Case(Session.open(image, workspace=workspace), workspace,
                clock=EditClock(lambda: step_s * next(ticks)))


def _paint(case: Case, strokes: int, shift: float = 0.0) -> None:
    if "lesion" not in case.session.segments:
        case.session.segments.add("lesion")
    centre = case.volume.center_ras
    for n in range(strokes):
        case.session.apply("paint", at_ras=centre + [shift + 4.0 * n, 0, 0], radius_mm=5,
                           segment=case.session.segments["lesion"], mode="3d")


def _work(path) -> list:
    return json.loads(sidecar_path(path).read_text())[0]["work"]


def test_the_training_set_records_each_annotator_and_the_total(small_image, tmp_path, capsys):
    from neuroview.cli.main import main

    anna = _case(small_image, tmp_path / "ws-anna", 10.0)
    _paint(anna, 3)
    saved = tmp_path / "small-labels.nii.gz"
    anna_s = anna.clock.seconds   # the save's compaction reads the clock once more
    anna.save_labels(saved, annotator="anna")
    anna.close()
    assert [(w["annotator"], w["editing_seconds"], w["hand_edits"]) for w in _work(saved)] \
        == [("anna", anna_s, 3)]

    ben = _case(small_image, tmp_path / "ws-ben", 5.0)
    ben.session.load_labels(saved)
    _paint(ben, 2, shift=-20.0)
    dataset = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    ben_s = ben.clock.seconds
    record = ben.send_to_training_set(dataset, "ben")
    ben.close()
    assert record.annotator == "ben"
    assert record.annotators == [
        {"annotator": "anna", "editing_seconds": anna_s, "hand_edits": 3},
        {"annotator": "ben", "editing_seconds": ben_s, "hand_edits": 2}]
    assert record.editing_seconds == anna_s + ben_s and record.hand_edits == 5
    on_disk = json.loads((dataset / "provenance" / f"{record.case}.json").read_text())
    assert on_disk["annotators"] == record.annotators

    assert main(["dataset", "list", str(dataset), "--by-annotator"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "by anna, ben " in lines[1], lines[1]
    assert (anna_s, ben_s) == (70.0, 25.0)   # 10 s and 5 s a clock reading
    assert "(editing 1 min 35 s (anna 1 min 10 s, ben 25 s), 5 edits by hand" in lines[1], lines[1]
    assert lines[2:] == ["by annotator:",
                         "  anna  1 case, editing 1 min 10 s (1 min 10 s a case), 3 edits by hand",
                         "  ben   1 case, editing 25 s (25 s a case), 2 edits by hand"]


def test_a_session_loading_its_own_save_counts_once_and_undo_of_a_load_drops_its_work(
        small_image, tmp_path):
    anna = _case(small_image, tmp_path / "ws-anna", 10.0)
    _paint(anna, 2)
    saved = tmp_path / "a.nii.gz"
    anna.save_labels(saved, annotator="anna")
    anna.session.load_labels(saved)          # her own file again: one session, counted once
    _paint(anna, 1, shift=-20.0)
    work = anna.work_done("anna")
    assert [(w["annotator"], w["editing_seconds"]) for w in work] == [("anna", anna.clock.seconds)]
    anna.close()

    ben = _case(small_image, tmp_path / "ws-ben", 5.0)
    _paint(ben, 1, shift=-30.0)
    ben.session.load_labels(saved)
    assert [w["annotator"] for w in ben.work_done("ben")] == ["anna", "ben"]
    ben.session.undo()                       # the load taken back: anna's labels are not on screen
    assert [w["annotator"] for w in ben.work_done("ben")] == ["ben"]
    ben.session.redo()
    assert [w["annotator"] for w in ben.work_done("ben")] == ["anna", "ben"]
    ben.close()


def _ben_edits_then_saves(image, workspace, anna_file, own_file) -> None:
    ben = _case(image, workspace, 7.0)
    ben.session.load_labels(anna_file)
    print("loaded", file=sys.stderr, flush=True)
    for n in range(400):
        _paint(ben, 1, shift=-40.0 + (n % 20) * 3.0)
        print(f"committed {ben.clock.seconds}", file=sys.stderr, flush=True)
        if n % 3 == 2:
            ben.save_labels(own_file, annotator="ben")   # compacts the journal: the base moves on
            print(f"saved {ben.clock.seconds}", file=sys.stderr, flush=True)


def test_every_annotators_time_survives_a_kill_at_any_moment(small_image, tmp_path):
    """ben's window, editing anna's labels and saving his own now and then, SIGKILLed at random
    moments: the restored case names anna's session and ben's with at least the time committed,
    ben's session the same as his saved file's (counted once). 4 kills, about 4 s of CPU."""
    anna = _case(small_image, tmp_path / "ws-anna", 10.0)
    _paint(anna, 2)
    anna_file = tmp_path / "anna.nii.gz"
    anna.save_labels(anna_file, annotator="anna")
    anna_work = _work(anna_file)
    anna.close()
    rng, reached = random.Random(47), set()
    for attempt in range(4):
        workspace, own = tmp_path / f"ws-ben{attempt}", tmp_path / f"ben{attempt}.nii.gz"
        code, err = fork_killed(_ben_edits_then_saves, small_image, workspace, anna_file, own,
                                delay=rng.uniform(0.3, 1.5))
        assert code == -signal.SIGKILL, err
        lines = err.splitlines()
        reached |= {line.split()[0] for line in lines}
        ben = Case(Session.open(small_image, workspace=workspace), workspace,
                   clock=EditClock(lambda: 0.0))
        work = ben.work_done("ben")
        committed = [float(line.split()[1]) for line in lines if line.startswith("committed")]
        if "loaded" in lines:
            assert work[0] == anna_work[0], (attempt, work)
        mine = [w for w in work if w["annotator"] == "ben"]
        if committed:
            assert mine and mine[0]["editing_seconds"] >= committed[-1], (attempt, work, committed[-1])
            assert mine[0]["session"] == ben.work_session
        if any(line.startswith("saved") for line in lines):
            together = merge_work(_work(own), work)   # his saved file loaded again: once
            assert [w["annotator"] for w in together] == ["anna", "ben"], together
            assert together[1]["editing_seconds"] == mine[0]["editing_seconds"]
        ben.close()
    assert {"loaded", "committed", "saved"} <= reached, reached   # kills after saves among them
