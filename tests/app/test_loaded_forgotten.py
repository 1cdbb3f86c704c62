"""A *Load labels* step that leaves the bounded undo history (pushed out by newer edits, or cut
off by a new edit after its undo) frees its labels as loaded: no array of the image's size
stays in the session and no voxel file in the workspace (until session 28 both stayed until the
next load), while those a remaining step or the crash journal's restore needs stay."""

import numpy as np

from neuroview.app import session_loaded
from neuroview.app.session import Session
from tests.app.loaded_labels import (
    draw_lesion,
    killed,
    load_and_paint,
    loaded_json_left_stale,
    new_session,
    paint,
    what_is_sent,
)


def _session(tmp_path) -> Session:
    return new_session(tmp_path, steps=4)


def _killed(session: Session, tmp_path) -> Session:
    return killed(session, tmp_path, steps=4)


def _voxel_files(tmp_path) -> set:
    return {p.name for p in (tmp_path / "ws").glob("loaded-*.npz")}


def _arrays(session: Session) -> list:
    steps = session.loaded_steps
    states = [steps.current, *(s for swap in steps.swaps.values() for s in swap)]
    return list({id(s.labels): s.labels for s in states if s.labels is not None}.values())


def test_loads_pushed_out_of_the_history_free_their_labels(two_label_files, tmp_path):
    first, second = two_label_files
    session = _session(tmp_path)
    session.load_labels(first)
    session.load_labels(second)
    assert len(_voxel_files(tmp_path)) == 2 and len(_arrays(session)) == 2
    for ijk in ((24, 24, 8), (26, 6, 8), (6, 26, 8), (28, 28, 8)):
        paint(session, ijk)             # four edits: both loads leave the 4-step history
    assert [s.name for s in session.history.undo_steps] == ["paint"] * 4
    assert session.loaded_steps.swaps == {}
    (kept,) = _arrays(session)           # the second file's labels only: counts go against it
    assert np.count_nonzero(kept.array) == 864
    assert len(_voxel_files(tmp_path)) == 1
    sent = what_is_sent(session, tmp_path)
    assert sent[0] == "loaded" and sent[1] > 0
    restored = _killed(session, tmp_path)
    assert what_is_sent(restored, tmp_path) == sent
    assert len(_voxel_files(tmp_path)) == 1


def test_a_load_still_undoable_keeps_the_one_before(two_label_files, tmp_path):
    first, second = two_label_files
    session = _session(tmp_path)
    load_and_paint(session, first, (24, 24, 8))
    load_and_paint(session, second, (26, 6, 8))
    paint(session, (6, 26, 8))          # the first load leaves the history, the second stays
    names = [s.name for s in session.history.undo_steps]
    assert names == ["paint", "load_labels", "paint", "paint"]
    assert list(session.loaded_steps.swaps) == [session.history.undo_steps[1].step_id]
    assert len(_voxel_files(tmp_path)) == 2   # undoing the second load gives the first back
    sent = what_is_sent(session, tmp_path)
    for _ in range(3):
        session.undo()
    against_first = what_is_sent(session, tmp_path)
    assert session.segments.get(1).made_by == "file first.nii.gz + drawn"
    for _ in range(3):
        session.redo()
    restored = _killed(session, tmp_path)
    assert what_is_sent(restored, tmp_path) == sent
    for _ in range(3):
        restored.undo()
    assert what_is_sent(restored, tmp_path) == against_first   # the old base named no labels: 'drawn'


def test_a_load_cut_off_by_a_new_edit_frees_its_labels(two_label_files, tmp_path):
    first, _ = two_label_files
    session = _session(tmp_path)
    draw_lesion(session)
    session.load_labels(first)
    session.undo()
    assert len(_voxel_files(tmp_path)) == 1   # Ctrl+Y can bring it back
    paint(session, (6, 26, 8))               # cuts the load off
    assert session.loaded_steps.swaps == {} and _arrays(session) == []
    assert _voxel_files(tmp_path) == set() and not (tmp_path / "ws" / "loaded.json").exists()
    sent = what_is_sent(session, tmp_path)
    assert sent[0] == "drawn"
    assert what_is_sent(_killed(session, tmp_path), tmp_path) == sent


def test_a_ruler_cutting_off_an_undone_load_frees_it(two_label_files, tmp_path):
    first, second = two_label_files
    session = _session(tmp_path)
    session.load_labels(first)
    session.load_labels(second)
    session.undo()
    session.drop_redo()                       # a ruler drawn
    assert len(session.loaded_steps.swaps) == 1 and len(_arrays(session)) == 1
    assert len(_voxel_files(tmp_path)) == 1
    assert np.count_nonzero(session.loaded_labels.array) == 600


def test_a_kill_before_the_files_are_removed_restores_and_cleans_up(two_label_files, tmp_path, monkeypatch):
    first, second = two_label_files
    session = _session(tmp_path)
    session.load_labels(first)
    session.load_labels(second)
    monkeypatch.setattr(session_loaded, "discard_voxels", lambda folder, name: None)
    for ijk in ((24, 24, 8), (26, 6, 8), (6, 26, 8), (28, 28, 8)):
        paint(session, ijk)
    assert len(_voxel_files(tmp_path)) == 2   # loaded.json rewritten, the kill came before removal
    sent = what_is_sent(session, tmp_path)
    monkeypatch.undo()
    restored = _killed(session, tmp_path)
    assert what_is_sent(restored, tmp_path) == sent
    assert len(_voxel_files(tmp_path)) == 1


def test_a_kill_before_loaded_json_is_rewritten(two_label_files, tmp_path):
    first, second = two_label_files
    session = _session(tmp_path)
    session.load_labels(first)
    session.load_labels(second)
    for ijk in ((24, 24, 8), (26, 6, 8), (6, 26, 8)):
        paint(session, ijk)
    with loaded_json_left_stale(tmp_path):
        paint(session, (28, 28, 8))          # journaled; the kill before loaded.json follows
    sent = what_is_sent(session, tmp_path)
    assert what_is_sent(_killed(session, tmp_path), tmp_path) == sent


def test_a_kill_before_loaded_json_follows_the_first_load_leaving(two_label_files, tmp_path):
    """The edit that pushes the first load out is journaled, then ``loaded.json`` rewritten: a
    kill between leaves its base before the first load; undoing the second still gives the first."""
    first, second = two_label_files
    session = _session(tmp_path)
    load_and_paint(session, first, (24, 24, 8))
    load_and_paint(session, second, (26, 6, 8))
    with loaded_json_left_stale(tmp_path) as stale:
        paint(session, (6, 26, 8))           # the first load leaves the history
    for _ in range(3):
        session.undo()
    against_first = what_is_sent(session, tmp_path)
    assert against_first[0] == "loaded" and against_first[1] > 0
    for _ in range(3):
        session.redo()
    (tmp_path / "ws" / "loaded.json").write_text(stale)
    restored = _killed(session, tmp_path)
    for _ in range(3):
        restored.undo()
    assert what_is_sent(restored, tmp_path) == against_first
