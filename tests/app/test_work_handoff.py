"""A case handed from one annotator to another: the training set records every annotator who saved
labels on it and their editing time. Until session 47, ben finishing anna's saved labels sent the
case as ben's, with ben's minutes alone (session 46's walk)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

from neuroview.app.case import Case
from neuroview.app.edit_clock import EditClock
from neuroview.app.sent_notes import sent_notes
from neuroview.app.session import Session
from neuroview.core.segment_work import merge_work
from neuroview.dataset.layout import init_dataset
from tests.app.handoff_worker import annas_labels, open_case, paint, work_of
from tests.durability import kill_when

HERE = Path(__file__).resolve().parent


def test_the_training_set_records_each_annotator_and_the_total(small_image, tmp_path, capsys):
    from neuroview.cli.main import main

    anna = open_case(small_image, tmp_path / "ws-anna", 10.0)
    paint(anna, 3)
    saved = tmp_path / "small-labels.nii.gz"
    anna_s = anna.clock.seconds   # the save's compaction reads the clock once more
    anna.save_labels(saved, annotator="anna")
    anna.close()
    assert [(w["annotator"], w["editing_seconds"], w["hand_edits"]) for w in work_of(saved)] \
        == [("anna", anna_s, 3)]

    ben = open_case(small_image, tmp_path / "ws-ben", 5.0)
    ben.session.load_labels(saved)
    paint(ben, 2, shift=-20.0)
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
    # the window's "Added to the training set ... (...)" says whose saved work came with it
    assert sent_notes(record)[-1] == "with the work of anna (1 min 10 s editing)"

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
    anna = open_case(small_image, tmp_path / "ws-anna", 10.0)
    paint(anna, 2)
    saved = tmp_path / "a.nii.gz"
    anna.save_labels(saved, annotator="anna")
    anna.session.load_labels(saved)          # her own file again: one session, counted once
    paint(anna, 1, shift=-20.0)
    work = anna.work_done("anna")
    assert [(w["annotator"], w["editing_seconds"]) for w in work] == [("anna", anna.clock.seconds)]
    anna.close()

    ben = open_case(small_image, tmp_path / "ws-ben", 5.0)
    paint(ben, 1, shift=-30.0)
    ben.session.load_labels(saved)
    assert [w["annotator"] for w in ben.work_done("ben")] == ["anna", "ben"]
    ben.session.undo()                       # the load taken back: anna's labels are not on screen
    assert [w["annotator"] for w in ben.work_done("ben")] == ["ben"]
    ben.session.redo()
    assert [w["annotator"] for w in ben.work_done("ben")] == ["anna", "ben"]
    ben.close()


def test_every_annotators_time_survives_a_kill_at_any_moment(small_image, tmp_path):
    """ben's window, editing anna's labels and saving his own now and then, SIGKILLed at random
    moments: the restored case names anna's session and ben's with at least the time committed,
    ben's session the same as his saved file's (counted once). 4 kills, about 6 s of CPU (each
    worker imports neuroview)."""
    anna_file, anna_work = annas_labels(small_image, tmp_path)
    reached = set()
    for attempt, strokes in enumerate((1, 3, 5, 8)):   # kills after the load, and after saves
        workspace, own = tmp_path / f"ws-ben{attempt}", tmp_path / f"ben{attempt}.nii.gz"
        printed = []

        def stop(line, strokes=strokes, printed=printed):
            printed.append(line.strip())
            if sum(p.startswith("committed") for p in printed) >= strokes:
                time.sleep(0.004 * strokes)   # somewhere in the next stroke or save
                return True
            return False

        process = kill_when(HERE / "handoff_worker.py", [small_image, workspace, anna_file, own],
                            stop, [HERE])
        assert process.returncode == -signal.SIGKILL
        lines = printed
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
            together = merge_work(work_of(own), work)   # his saved file loaded again: once
            assert [w["annotator"] for w in together] == ["anna", "ben"], together
            assert together[1]["editing_seconds"] == mine[0]["editing_seconds"]
        ben.close()
    assert {"loaded", "committed", "saved"} <= reached, reached   # kills after saves among them
