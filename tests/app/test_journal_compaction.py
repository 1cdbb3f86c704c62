"""The workspace journal compacts itself past a bound and on save, and a kill at any point of the
compaction still restores the exact label map."""

import numpy as np
import pytest

from neuroview import Session
from neuroview.core.journal import Journal


class Killed(BaseException):
    """Stands for SIGKILL at one point of the compaction (nothing after it runs)."""


def _paint(s, n, rng, centre):
    at = centre + rng.uniform(-30, 30, 3)
    s.apply("paint", at_ras=at, radius_mm=float(rng.uniform(3, 8)), mode="3d",
            segment=1 + n % 2, path=[at + rng.uniform(-6, 6, 3)])


def _assert_restores(image, ws, expected, segments):
    again = Session.open(image, workspace=ws)
    np.testing.assert_array_equal(again.labels.array, expected)
    assert again.labels.segments.to_list() == segments
    again.close()
    return again.journal.generation


def test_journal_stays_bounded_and_restores_exactly(small_image, tmp_path):
    ws = tmp_path / "ws"
    bound = 3000  # bytes: a stroke here is a few hundred
    s = Session.open(small_image, workspace=ws, journal_max_bytes=bound, journal_max_records=None)
    s.segments.add("a")
    s.segments.add("b")
    rng = np.random.default_rng(3)
    centre = s.volume.center_ras
    largest_step = 0
    for n in range(40):
        _paint(s, n, rng, centre)
        largest_step = max(largest_step, s.history.undo_steps[-1].nbytes)
        size = s.journal.journal_path.stat().st_size if s.journal.journal_path.exists() else 0
        assert size <= bound + 2 * largest_step
        if n % 5 == 4:
            s.undo()
    assert s.journal.generation >= 3                     # it compacted several times by itself
    files = sorted(p.name for p in ws.iterdir() if p.name.startswith(("journal-", "base-")))
    assert len(files) <= 2                               # old generations are deleted
    # Undo and redo across the last compaction: the records carry the compacted steps.
    s.checkpoint()
    s.undo()
    s.undo()
    s.redo()
    expected, segments = s.labels.array.copy(), s.labels.segments.to_list()
    assert (expected > 0).sum() > 1000
    s.close()
    _assert_restores(small_image, ws, expected, segments)


def test_save_compacts_the_journal(small_image, tmp_path):
    ws = tmp_path / "ws"
    s = Session.open(small_image, workspace=ws)
    s.segments.add("a")
    s.apply("paint", at_ras=s.volume.center_ras, radius_mm=10, mode="3d")
    assert s.journal.has_records()
    s.save_labels(tmp_path / "labels.nii.gz")
    assert not s.journal.has_records() and s.journal.generation == 1
    s.undo()                                           # undo of a step saved into the base
    expected = s.labels.array.copy()
    assert not expected.any()
    s.close()
    _assert_restores(small_image, ws, expected, s.labels.segments.to_list())


@pytest.mark.parametrize("point", ["before_switch", "after_switch"])
def test_kill_inside_compaction_restores_exactly(small_image, tmp_path, monkeypatch, point):
    ws = tmp_path / "ws"
    s = Session.open(small_image, workspace=ws, journal_max_records=12)
    s.segments.add("a")
    s.segments.add("b")
    rng = np.random.default_rng(5)
    centre = s.volume.center_ras
    for n in range(8):
        _paint(s, n, rng, centre)
    s.undo()
    original = Journal._write_meta

    def write_meta(self, generation=None, editing_seconds=None):
        if generation is None:                          # not a compaction
            return original(self, generation, editing_seconds)
        if point == "after_switch":                     # new base and meta written, old files kept
            original(self, generation, editing_seconds)
        raise Killed()

    monkeypatch.setattr(Journal, "_write_meta", write_meta)
    with pytest.raises(Killed):
        for n in range(8, 20):
            _paint(s, n, rng, centre)                   # the 13th record triggers compaction
    expected, segments = s.labels.array.copy(), s.labels.segments.to_list()
    assert (expected > 0).sum() > 200
    monkeypatch.undo()
    generation = _assert_restores(small_image, ws, expected, segments)
    assert generation == (0 if point == "before_switch" else 1)   # from the journal, or the new base


def test_failed_compaction_keeps_journaling(small_image, tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    s = Session.open(small_image, workspace=ws, journal_max_records=4)
    s.segments.add("a")
    rng = np.random.default_rng(9)
    centre = s.volume.center_ras
    original = Journal._write_meta
    calls = []

    def full_disk(self, generation=None, editing_seconds=None):
        if generation is not None and not calls:
            calls.append(generation)
            raise OSError(28, "No space left on device")
        return original(self, generation, editing_seconds)

    monkeypatch.setattr(Journal, "_write_meta", full_disk)
    for n in range(10):
        _paint(s, n, rng, centre)                       # the first compaction fails, later ones work
    assert calls and s.journal.generation >= 1
    expected, segments = s.labels.array.copy(), s.labels.segments.to_list()
    s.close()
    _assert_restores(small_image, ws, expected, segments)
