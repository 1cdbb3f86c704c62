"""Ctrl+Z of *Load labels* takes the labels as loaded back too: after the undo the segments are
sent as before the load (origin, changed voxels counted against the file loaded before, or none),
Ctrl+Y brings the load back, and a restore after a crash agrees (until session 28 the undone
file stayed the labels as loaded, in memory and in the workspace's ``loaded.json``)."""

import json

import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.app.session import Session
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.io.nifti import save_nifti

SHAPE = (32, 32, 16)
AFFINE = np.diag([1.0, 1.0, 2.0, 1.0])
IMAGE = np.random.default_rng(0).normal(100, 5, SHAPE).astype(np.float32)


@pytest.fixture
def files(tmp_path):
    first = np.zeros(SHAPE, np.uint8)
    first[4:14, 4:14, 4:10] = 1          # 600 voxels
    second = np.zeros(SHAPE, np.uint8)
    second[8:20, 8:20, 4:10] = 1         # 864 voxels, overlapping the first
    save_nifti(first, AFFINE, tmp_path / "first.nii.gz")
    save_nifti(second, AFFINE, tmp_path / "second.nii.gz")
    return tmp_path / "first.nii.gz", tmp_path / "second.nii.gz"


def _session(tmp_path) -> Session:
    return Session(Volume(IMAGE, AFFINE), tmp_path / "ws")


def _paint(session: Session, ijk) -> None:
    at = session.volume.ijk_to_ras @ np.array([*ijk, 1.0])
    session.apply("paint", at_ras=at[:3], radius_mm=3, segment=1, mode="3d")


def _sent(session: Session, tmp_path):
    """The lesion's (source, changed_voxels) in the provenance record of a new training set."""
    name = f"d{len(list(tmp_path.glob('d*')))}"
    dataset = init_dataset(tmp_path / name, "Lesions", ["background", "lesion"])
    record = Case(session).send_to_training_set(dataset, "dr.a")
    stored = json.loads((dataset / "provenance" / f"{record.case}.json").read_text())
    (lesion,) = stored["segments"]
    return lesion["source"], lesion["changed_voxels"]


def _killed(session: Session, tmp_path) -> Session:
    session.journal.close()              # no close(): the process died
    return _session(tmp_path)


def _loaded_json(tmp_path):
    path = tmp_path / "ws" / "loaded.json"
    return json.loads(path.read_text()).get("voxels") if path.exists() else None


def test_undoing_a_second_load_counts_against_the_first(files, tmp_path):
    first, second = files
    session = _session(tmp_path)
    session.load_labels(first)
    _paint(session, (24, 24, 8))
    before = _sent(session, tmp_path)
    assert before[0] == "loaded" and before[1] > 0
    named = _loaded_json(tmp_path)
    session.load_labels(second)
    _paint(session, (26, 6, 8))
    after_second = _sent(session, tmp_path)
    session.undo()
    session.undo()                       # the second load
    assert session.segments.get(1).made_by == "file first.nii.gz + drawn"
    assert _sent(session, tmp_path) == before
    assert _loaded_json(tmp_path) == named
    session.redo()
    session.redo()
    assert session.segments.get(1).made_by == "file second.nii.gz + drawn"
    assert _sent(session, tmp_path) == after_second


def test_undoing_the_only_load_gives_back_the_drawn_segment(files, tmp_path):
    first, _ = files
    session = _session(tmp_path)
    session.segments.add("lesion")
    _paint(session, (24, 24, 8))
    before = _sent(session, tmp_path)
    assert before[0] == "drawn"
    session.load_labels(first)
    session.undo()
    assert session.segments.get(1).origin == "human"
    assert session.loaded_labels is None and _loaded_json(tmp_path) is None
    assert _sent(session, tmp_path) == before
    session.redo()
    assert session.segments.get(1).origin == "loaded"
    assert np.count_nonzero(session.loaded_labels.array) == 600


def test_a_restore_after_the_undo_agrees(files, tmp_path):
    first, second = files
    session = _session(tmp_path)
    session.load_labels(first)
    _paint(session, (24, 24, 8))
    before = _sent(session, tmp_path)
    session.load_labels(second)
    _paint(session, (26, 6, 8))
    after_second = _sent(session, tmp_path)
    session.undo()
    session.undo()
    restored = _killed(session, tmp_path)
    assert restored.segments.get(1).made_by == "file first.nii.gz + drawn"
    assert _sent(restored, tmp_path) == before
    restored.redo()
    restored.redo()
    assert _sent(restored, tmp_path) == after_second
    restored.undo()
    restored.undo()
    again = _killed(restored, tmp_path)
    assert _sent(again, tmp_path) == before


def test_a_restore_after_undoing_the_only_load(files, tmp_path):
    first, _ = files
    session = _session(tmp_path)
    session.segments.add("lesion")
    _paint(session, (24, 24, 8))
    before = _sent(session, tmp_path)
    session.load_labels(first)
    _paint(session, (6, 26, 8))
    loaded_then_drawn = _sent(session, tmp_path)
    session.undo()
    session.undo()
    restored = _killed(session, tmp_path)
    assert restored.loaded_labels is None and restored.segments.get(1).origin == "human"
    assert _sent(restored, tmp_path) == before
    restored.redo()
    restored.redo()
    assert _sent(restored, tmp_path) == loaded_then_drawn


def test_a_kill_before_loaded_json_follows_the_undo(files, tmp_path):
    """The undo is journaled, then ``loaded.json`` rewritten: a kill between leaves it naming
    the undone file; the restore goes by the restored steps from the journal's base."""
    first, second = files
    session = _session(tmp_path)
    session.load_labels(first)
    _paint(session, (24, 24, 8))
    before = _sent(session, tmp_path)
    session.load_labels(second)
    stale = (tmp_path / "ws" / "loaded.json").read_text()
    session.undo()
    (tmp_path / "ws" / "loaded.json").write_text(stale)
    restored = _killed(session, tmp_path)
    assert _sent(restored, tmp_path) == before
