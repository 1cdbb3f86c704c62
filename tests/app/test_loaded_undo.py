"""Ctrl+Z of *Load labels* takes the labels as loaded back too: after the undo the segments are
sent as before the load (origin, changed voxels counted against the file loaded before, or none),
Ctrl+Y brings the load back, and a restore after a crash agrees (until session 28 the undone
file stayed the labels as loaded, in memory and in the workspace's ``loaded.json``)."""

import json

import numpy as np

from tests.app.loaded_labels import (
    draw_lesion,
    killed,
    load_and_paint,
    loaded_json_left_stale,
    new_session,
    what_is_sent,
)


def _loaded_json(tmp_path):
    path = tmp_path / "ws" / "loaded.json"
    return json.loads(path.read_text()).get("voxels") if path.exists() else None


def test_undoing_a_second_load_counts_against_the_first(two_label_files, tmp_path):
    first, second = two_label_files
    session = new_session(tmp_path)
    load_and_paint(session, first, (24, 24, 8))
    before = what_is_sent(session, tmp_path)
    assert before[0] == "loaded" and before[1] > 0
    named = _loaded_json(tmp_path)
    load_and_paint(session, second, (26, 6, 8))
    after_second = what_is_sent(session, tmp_path)
    session.undo()
    session.undo()                       # the second load
    assert session.segments.get(1).made_by == "file first.nii.gz + drawn"
    assert what_is_sent(session, tmp_path) == before
    assert _loaded_json(tmp_path) == named
    session.redo()
    session.redo()
    assert session.segments.get(1).made_by == "file second.nii.gz + drawn"
    assert what_is_sent(session, tmp_path) == after_second


def test_undoing_the_only_load_gives_back_the_drawn_segment(two_label_files, tmp_path):
    first, _ = two_label_files
    session = new_session(tmp_path)
    draw_lesion(session)
    before = what_is_sent(session, tmp_path)
    assert before[0] == "drawn"
    session.load_labels(first)
    session.undo()
    assert session.segments.get(1).origin == "human"
    assert session.loaded_labels is None and _loaded_json(tmp_path) is None
    assert what_is_sent(session, tmp_path) == before
    session.redo()
    assert session.segments.get(1).origin == "loaded"
    assert np.count_nonzero(session.loaded_labels.array) == 600


def test_a_restore_after_the_undo_agrees(two_label_files, tmp_path):
    first, second = two_label_files
    session = new_session(tmp_path)
    load_and_paint(session, first, (24, 24, 8))
    before = what_is_sent(session, tmp_path)
    load_and_paint(session, second, (26, 6, 8))
    after_second = what_is_sent(session, tmp_path)
    session.undo()
    session.undo()
    restored = killed(session, tmp_path)
    assert restored.segments.get(1).made_by == "file first.nii.gz + drawn"
    assert what_is_sent(restored, tmp_path) == before
    restored.redo()
    restored.redo()
    assert what_is_sent(restored, tmp_path) == after_second
    restored.undo()
    restored.undo()
    again = killed(restored, tmp_path)
    assert what_is_sent(again, tmp_path) == before


def test_a_restore_after_undoing_the_only_load(two_label_files, tmp_path):
    first, _ = two_label_files
    session = new_session(tmp_path)
    draw_lesion(session)
    before = what_is_sent(session, tmp_path)
    load_and_paint(session, first, (6, 26, 8))
    loaded_then_drawn = what_is_sent(session, tmp_path)
    session.undo()
    session.undo()
    restored = killed(session, tmp_path)
    assert restored.loaded_labels is None and restored.segments.get(1).origin == "human"
    assert what_is_sent(restored, tmp_path) == before
    restored.redo()
    restored.redo()
    assert what_is_sent(restored, tmp_path) == loaded_then_drawn


def test_a_kill_before_loaded_json_follows_the_undo(two_label_files, tmp_path):
    """The undo is journaled, then ``loaded.json`` rewritten: a kill between leaves it naming
    the undone file; the restore goes by the restored steps from the journal's base."""
    first, second = two_label_files
    session = new_session(tmp_path)
    load_and_paint(session, first, (24, 24, 8))
    before = what_is_sent(session, tmp_path)
    session.load_labels(second)
    with loaded_json_left_stale(tmp_path):
        session.undo()
    restored = killed(session, tmp_path)
    assert what_is_sent(restored, tmp_path) == before
