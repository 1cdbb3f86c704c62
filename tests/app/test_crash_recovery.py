"""A painting process killed with SIGKILL: reopening its workspace restores the exact state."""

import signal
import sys
import time
from pathlib import Path

import numpy as np

from neuroview import Session
from tests.durability import kill_when

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from paint_worker import run_stroke  # noqa: E402


def _reference(image, n_strokes):
    session = Session.open(image)
    session.segments.add("one")
    session.segments.add("two")
    for n in range(n_strokes):
        run_stroke(session, n, session.volume.center_ras)
    return session


def test_sigkill_mid_stroke_loses_only_that_stroke(small_image, tmp_path):
    workspace = tmp_path / "ws"
    printed = -1

    def stop(line):
        nonlocal printed
        if line.startswith("committed"):
            printed = int(line.split()[1])
        if printed >= 12:
            time.sleep(0.013)  # land somewhere inside the next stroke
        return printed >= 12

    process = kill_when(HERE / "paint_worker.py", [small_image, workspace, 400], stop)
    assert process.returncode == -signal.SIGKILL
    restored = Session.open(small_image, workspace=workspace)
    steps = [r for r in restored.journal.records() if r.kind == "step"]
    strokes = len(steps) - 2  # the two segment additions come first
    # a step is printed after its fsync: the journal holds what was printed, or one more
    assert strokes in (printed + 1, printed + 2)
    reference = _reference(small_image, strokes)
    assert (reference.labels.array > 0).sum() > 500  # not a trivial comparison
    np.testing.assert_array_equal(restored.labels.array, reference.labels.array)
    assert restored.labels.segments.to_list() == reference.labels.segments.to_list()
    # the restored history can be undone like the original one
    restored.undo()
    reference.undo()
    np.testing.assert_array_equal(restored.labels.array, reference.labels.array)
    restored.close()
