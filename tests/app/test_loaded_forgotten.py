"""A *Load labels* step that leaves the bounded undo history (pushed out by newer edits, or cut
off by a new edit after its undo) frees its labels as loaded: no array of the image's size
stays in the session and no voxel file in the workspace (until session 28 both stayed until the
next load), while those a remaining step or the crash journal's restore needs stay."""

import json

import numpy as np
import pytest

from neuroview.app import session_loaded
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


def _session(tmp_path, steps=4) -> Session:
    return Session(Volume(IMAGE, AFFINE), tmp_path / "ws", history_steps=steps)


def _killed(session: Session, tmp_path, steps=4) -> Session:
    session.journal.close()              # no close(): the process died
    return _session(tmp_path, steps)


def _voxel_files(tmp_path) -> set:
    return {p.name for p in (tmp_path / "ws").glob("loaded-*.npz")}


def _arrays(session: Session) -> list:
    steps = session.loaded_steps
    states = [steps.current, *(s for swap in steps.swaps.values() for s in swap)]
    return list({id(s.labels): s.labels for s in states if s.labels is not None}.values())


def test_loads_pushed_out_of_the_history_free_their_labels(files, tmp_path):
    first, second = files
    session = _session(tmp_path)
    session.load_labels(first)
    session.load_labels(second)
    assert len(_voxel_files(tmp_path)) == 2 and len(_arrays(session)) == 2
    for ijk in ((24, 24, 8), (26, 6, 8), (6, 26, 8), (28, 28, 8)):
        _paint(session, ijk)             # four edits: both loads leave the 4-step history
    assert [s.name for s in session.history.undo_steps] == ["paint"] * 4
    assert session.loaded_steps.swaps == {}
    (kept,) = _arrays(session)           # the second file's labels only: counts go against it
    assert np.count_nonzero(kept.array) == 864
    assert len(_voxel_files(tmp_path)) == 1
    sent = _sent(session, tmp_path)
    assert sent[0] == "loaded" and sent[1] > 0
    restored = _killed(session, tmp_path)
    assert _sent(restored, tmp_path) == sent
    assert len(_voxel_files(tmp_path)) == 1


def test_a_load_still_undoable_keeps_the_one_before(files, tmp_path):
    first, second = files
    session = _session(tmp_path)
    session.load_labels(first)
    _paint(session, (24, 24, 8))
    session.load_labels(second)
    _paint(session, (26, 6, 8))
    _paint(session, (6, 26, 8))          # the first load leaves the history, the second stays
    names = [s.name for s in session.history.undo_steps]
    assert names == ["paint", "load_labels", "paint", "paint"]
    assert list(session.loaded_steps.swaps) == [session.history.undo_steps[1].step_id]
    assert len(_voxel_files(tmp_path)) == 2   # undoing the second load gives the first back
    sent = _sent(session, tmp_path)
    for _ in range(3):
        session.undo()
    against_first = _sent(session, tmp_path)
    assert session.segments.get(1).made_by == "file first.nii.gz + drawn"
    for _ in range(3):
        session.redo()
    restored = _killed(session, tmp_path)
    assert _sent(restored, tmp_path) == sent
    for _ in range(3):
        restored.undo()
    assert _sent(restored, tmp_path) == against_first   # the old base named no labels: 'drawn'


def test_a_load_cut_off_by_a_new_edit_frees_its_labels(files, tmp_path):
    first, _ = files
    session = _session(tmp_path)
    session.segments.add("lesion")
    _paint(session, (24, 24, 8))
    session.load_labels(first)
    session.undo()
    assert len(_voxel_files(tmp_path)) == 1   # Ctrl+Y can bring it back
    _paint(session, (6, 26, 8))               # cuts the load off
    assert session.loaded_steps.swaps == {} and _arrays(session) == []
    assert _voxel_files(tmp_path) == set() and not (tmp_path / "ws" / "loaded.json").exists()
    sent = _sent(session, tmp_path)
    assert sent[0] == "drawn"
    assert _sent(_killed(session, tmp_path), tmp_path) == sent


def test_a_ruler_cutting_off_an_undone_load_frees_it(files, tmp_path):
    first, second = files
    session = _session(tmp_path)
    session.load_labels(first)
    session.load_labels(second)
    session.undo()
    session.drop_redo()                       # a ruler drawn
    assert len(session.loaded_steps.swaps) == 1 and len(_arrays(session)) == 1
    assert len(_voxel_files(tmp_path)) == 1
    assert np.count_nonzero(session.loaded_labels.array) == 600


def test_a_kill_before_the_files_are_removed_restores_and_cleans_up(files, tmp_path, monkeypatch):
    first, second = files
    session = _session(tmp_path)
    session.load_labels(first)
    session.load_labels(second)
    monkeypatch.setattr(session_loaded, "discard_voxels", lambda folder, name: None)
    for ijk in ((24, 24, 8), (26, 6, 8), (6, 26, 8), (28, 28, 8)):
        _paint(session, ijk)
    assert len(_voxel_files(tmp_path)) == 2   # loaded.json rewritten, the kill came before removal
    sent = _sent(session, tmp_path)
    monkeypatch.undo()
    restored = _killed(session, tmp_path)
    assert _sent(restored, tmp_path) == sent
    assert len(_voxel_files(tmp_path)) == 1


def test_a_kill_before_loaded_json_is_rewritten(files, tmp_path):
    first, second = files
    session = _session(tmp_path)
    session.load_labels(first)
    session.load_labels(second)
    for ijk in ((24, 24, 8), (26, 6, 8), (6, 26, 8)):
        _paint(session, ijk)
    stale = (tmp_path / "ws" / "loaded.json").read_text()
    _paint(session, (28, 28, 8))              # journaled; the kill before loaded.json follows
    (tmp_path / "ws" / "loaded.json").write_text(stale)
    sent = _sent(session, tmp_path)
    assert _sent(_killed(session, tmp_path), tmp_path) == sent


def test_a_kill_before_loaded_json_follows_the_first_load_leaving(files, tmp_path):
    """The edit that pushes the first load out is journaled, then ``loaded.json`` rewritten: a
    kill between leaves its base before the first load; undoing the second still gives the first."""
    first, second = files
    session = _session(tmp_path)
    session.load_labels(first)
    _paint(session, (24, 24, 8))
    session.load_labels(second)
    _paint(session, (26, 6, 8))
    stale = (tmp_path / "ws" / "loaded.json").read_text()
    _paint(session, (6, 26, 8))               # the first load leaves the history
    (tmp_path / "ws" / "loaded.json").write_text(stale)
    for _ in range(3):
        session.undo()
    against_first = _sent(session, tmp_path)
    assert against_first[0] == "loaded" and against_first[1] > 0
    for _ in range(3):
        session.redo()
    (tmp_path / "ws" / "loaded.json").write_text(stale)
    restored = _killed(session, tmp_path)
    for _ in range(3):
        restored.undo()
    assert _sent(restored, tmp_path) == against_first
