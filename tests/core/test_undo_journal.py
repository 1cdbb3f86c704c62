"""Undo history (bounded diffs) and the crash-safe journal, without a Session."""

import numpy as np
import pytest

from neuroview.core.errors import GeometryError
from neuroview.core.journal import Journal, image_key
from neuroview.core.undo import History, Step, StrokeRecorder, VoxelDiff


def test_stroke_recorder_folds_overlapping_events_into_one_exact_diff(rng):
    array = rng.integers(0, 3, (30, 30, 30)).astype(np.uint8)
    original = array.copy()
    recorder = StrokeRecorder()
    for lo in [(2, 3, 4), (5, 5, 5), (4, 6, 5), (20, 20, 20)]:
        region = array[lo[0]:lo[0] + 6, lo[1]:lo[1] + 6, lo[2]:lo[2] + 6]
        changed = region != 7
        recorder.record(lo, changed, region[changed])
        region[changed] = 7
    after = array.copy()
    diff = recorder.finish(array)
    assert diff.box == ((2, 3, 4), (26, 26, 26))
    assert diff.n_changed == (original != after).sum()
    diff.undo(array)
    np.testing.assert_array_equal(array, original)
    diff.redo(array)
    np.testing.assert_array_equal(array, after)
    # the record is the size of the change, not of the volume
    assert diff.nbytes < array.nbytes / 2


def test_history_is_bounded_in_bytes_and_keeps_the_newest():
    history = History(max_bytes=20_000, max_steps=1000)
    array = np.zeros((64, 64, 64), np.uint8)
    for n in range(50):
        old = np.zeros((10, 10, 10), np.uint8)
        diff = VoxelDiff.from_regions((n, 0, 0), old, old + 1)
        history.push(Step("paint", diff, step_id=n))
    assert history.nbytes <= 20_000
    assert 0 < len(history) < 50
    assert history.undo_steps[-1].step_id == 49
    step = history.pop_undo()
    step.diff.redo(array)
    assert array[49:59, :10, :10].all()
    # a new step drops the redo stack
    history.push(Step("erase", None, step_id=99))
    assert not history.can_redo


def _diff(value, lo=(1, 2, 3)):
    old = np.zeros((4, 4, 4), np.uint8)
    new = old.copy()
    new[1:3, 1:3, 1:3] = value
    return VoxelDiff.from_regions(lo, old, new)


def test_journal_round_trip_and_torn_tail(tmp_path):
    key = image_key(np.arange(1000.0).reshape(10, 10, 10), np.eye(4))
    journal = Journal(tmp_path / "ws", key)
    table = [{"value": 1, "name": "a", "color": [1, 2, 3]}]
    journal.append_step(Step("paint", _diff(1), None, table, step_id=1))
    journal.append_step(Step("paint", _diff(2, (5, 5, 5)), step_id=2))
    journal.append_undo(Step("paint", None, step_id=2))
    journal.close()
    records = list(journal.records())
    assert [(r.kind, r.step_id) for r in records] == [("step", 1), ("step", 2), ("undo", 2)]
    assert records[0].step.segments_after == table
    np.testing.assert_array_equal(records[1].step.diff.new, _diff(2, (5, 5, 5)).new)
    assert records[1].step.diff.box == ((6, 6, 6), (8, 8, 8))
    # a crash mid-write leaves half a record: it is ignored, and new records follow the good ones
    path = journal.journal_path
    size = path.stat().st_size
    with open(path, "ab") as handle:
        handle.write(b"NVJ1\x50\x00\x00\x00garbage")
    reopened = Journal(tmp_path / "ws", key)
    assert len(list(reopened.records())) == 3
    reopened.append_redo(Step("paint", None, step_id=2))
    reopened.close()
    assert [r.kind for r in reopened.records()] == ["step", "step", "undo", "redo"]
    assert path.stat().st_size > size
    # a flipped byte inside a record (CRC mismatch) skips that record, not the ones after it
    data = bytearray(path.read_bytes())
    data[records[1].offset + 20] ^= 0xFF
    path.write_bytes(bytes(data))
    damaged = Journal(tmp_path / "ws", key)
    assert [(r.kind, r.step_id) for r in damaged.records()] == [("step", 1), ("undo", 2), ("redo", 2)]
    assert [(d.offset, d.end, d.records) for d in damaged.damage] == [
        (records[1].offset, records[2].offset, 1)]


def test_workspace_refuses_another_image(tmp_path):
    image = np.arange(1000.0).reshape(10, 10, 10)
    Journal(tmp_path / "ws", image_key(image, np.eye(4))).close()
    other = image.copy()
    other[0, 0, 0] = -5
    with pytest.raises(GeometryError, match="another image"):
        Journal(tmp_path / "ws", image_key(other, np.eye(4)))
    shifted = np.eye(4)
    shifted[0, 3] = 2.0
    with pytest.raises(GeometryError, match="another image"):
        Journal(tmp_path / "ws", image_key(image, shifted))
