"""Rejecting one lesion (a model's false positive): its connected component goes, nothing else."""

import numpy as np
import pytest

from neuroview import Session
from neuroview.core.errors import ToolError
from neuroview.core.volume import Volume


def _session(tmp_path):
    """Segment "lesion" (value 1) with three lesions, two of them touching only at a corner
    (one 26-connected lesion), and segment "edema" (value 2) touching the first lesion."""
    volume = Volume(np.zeros((20, 20, 10), np.float32), np.diag([1.0, 1.0, 3.0, 1.0]))
    session = Session(volume, tmp_path / "ws")
    session.segments.add("lesion")
    session.segments.add("edema")
    labels = np.zeros(volume.shape, np.uint8)
    labels[2:5, 2:5, 2:4] = 1          # lesion A
    labels[5, 5, 4] = 1                # touches A at a corner only: part of A (26-connected)
    labels[12:16, 12:16, 5:8] = 1      # lesion B
    labels[2:5, 5:7, 2:4] = 2          # edema beside A
    session._write_region("draw", (0, 0, 0), labels, {})
    return session, labels


def test_reject_clears_only_that_lesion_as_one_undo_step(tmp_path):
    session, labels = _session(tmp_path)
    step = session.reject_lesion("lesion", (3, 3, 2))
    expected = labels.copy()
    expected[2:5, 2:5, 2:4] = 0
    expected[5, 5, 4] = 0
    assert step is not None
    assert np.array_equal(session.labels.array, expected)
    assert [c.voxels for c in session.components("lesion")] == [48]   # lesion B stays
    session.undo()
    assert np.array_equal(session.labels.array, labels)
    session.redo()
    assert np.array_equal(session.labels.array, expected)


def test_reject_refuses_a_voxel_outside_the_segment_and_a_locked_segment(tmp_path):
    session, labels = _session(tmp_path)
    with pytest.raises(ToolError, match="not in segment 'lesion'"):
        session.reject_lesion("lesion", (3, 5, 2))     # edema there
    session.segments.lock("lesion", True)
    with pytest.raises(ToolError, match="locked"):
        session.reject_lesion("lesion", (3, 3, 2))
    assert np.array_equal(session.labels.array, labels)


def test_a_rejected_lesion_stays_rejected_after_a_crash(tmp_path):
    session, labels = _session(tmp_path)
    session.reject_lesion("lesion", (13, 13, 6))
    expected = session.labels.array.copy()
    session.journal.close()   # killed: never saved, never closed properly
    again = Session(session.volume, tmp_path / "ws")
    assert np.array_equal(again.labels.array, expected)
    assert not (again.labels.array[12:16, 12:16, 5:8] == 1).any()
