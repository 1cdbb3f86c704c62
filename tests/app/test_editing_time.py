"""The case's editing time survives a crash (SIGKILL) and a clean reopen of its workspace."""

import itertools
import signal
import time
from pathlib import Path

import numpy as np

from neuroview.app.case import Case
from neuroview.app.edit_clock import IDLE_SECONDS, EditClock
from neuroview.app.session import Session
from tests.durability import kill_when

HERE = Path(__file__).resolve().parent


def _clock(step_s: float) -> EditClock:
    ticks = itertools.count()
    return EditClock(lambda: step_s * next(ticks))


def test_editing_time_survives_sigkill(small_image, tmp_path):
    workspace = tmp_path / "ws"
    recorded = 0.0

    def stop(line):
        nonlocal recorded
        if line.startswith("committed"):
            n, recorded = int(line.split()[1]), float(line.split()[2])
            if n >= 8:
                time.sleep(0.013)  # somewhere inside the next stroke
                return True
        return False

    process = kill_when(HERE / "case_worker.py", [small_image, workspace, 400], stop, [HERE])
    assert process.returncode == -signal.SIGKILL
    assert recorded > 100.0     # 7 s per clock reading: a meaningful amount of editing
    case = Case(Session.open(small_image, workspace=workspace), workspace, clock=_clock(7.0))
    assert case.session.restored_editing_seconds >= recorded
    # at most the stroke that was being journaled when the kill came is added on top
    assert case.session.restored_editing_seconds - recorded < 40 * 7.0
    case.close()


def test_editing_time_after_reopen_and_compaction(small_image, tmp_path):
    ws = tmp_path / "ws"
    case = Case(Session.open(small_image, workspace=ws), ws, clock=_clock(10.0))
    case.session.segments.add("a")
    centre = case.volume.center_ras
    for n in range(3):
        case.session.apply("paint", at_ras=centre + [4.0 * n, 0, 0], radius_mm=6)
    case.session.undo()
    before = case.clock.seconds
    assert before >= 40.0
    case.close()
    again = Case(Session.open(small_image, workspace=ws), ws, clock=_clock(IDLE_SECONDS * 3))
    assert again.clock.seconds == before                  # exactly what the last record held
    again.session.apply("paint", at_ras=centre - [12.0, 0, 0], radius_mm=6, segment="a")
    # the new session's time adds to the restored time; each long pause counts IDLE_SECONDS at most
    assert again.clock.seconds - before in (IDLE_SECONDS, 2 * IDLE_SECONDS)
    again.session.save_labels(tmp_path / "labels.nii.gz")  # compacts: the time moves to the base
    assert not again.session.journal.has_records()
    total = again.clock.seconds
    again.close()
    third = Case(Session.open(small_image, workspace=ws), ws, clock=_clock(1.0))
    assert third.clock.seconds == total
    assert np.count_nonzero(third.labels.array) > 0
    third.close()


def test_the_models_run_is_not_editing_time(small_image, tmp_path):
    """Read the image 20 s, start AI > Segment, the model runs 100 s, correct for 10 s: 30 s of
    editing. The wait for the model counted as editing (up to the 120 s idle cap): 130 s."""
    now = [0.0]
    ws = tmp_path / "ws"
    case = Case(Session.open(small_image, workspace=ws), ws, clock=EditClock(lambda: now[0]))
    now[0] = 20.0
    case.model_started()
    now[0] = 120.0
    result = np.zeros(case.labels.shape, np.uint8)
    result[10:14, 10:14, 10:14] = 1
    case.apply_model_result(result, {1: "lesion"}, model="m@1.0.0")
    now[0] = 130.0
    at_ras = case.volume.ijk_to_ras[:3] @ np.array([12.0, 12.0, 12.0, 1.0])
    case.session.apply("erase", at_ras=at_ras, radius_mm=4, segment=case.session.segments["lesion"])
    assert (case.labels.array == 1).sum() < 64       # a correction: one committed edit
    assert case.clock.seconds == 30.0
    case.close()
