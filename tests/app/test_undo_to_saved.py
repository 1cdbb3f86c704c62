"""Undoing (or redoing) back to the labels last saved leaves nothing unsaved: the close question
asked to save a case identical to its file. The undo history knows where the save stood
(``History.position``); a new step, or a restore after a crash, never returns there."""

from __future__ import annotations

import numpy as np

from neuroview import Session
from neuroview.core.undo import History, Step
from neuroview.core.volume import Volume


def _paint(session, x):
    session.apply("paint", at_ras=(x, 5.0, 4.0), radius_mm=1.5, mode="3d")


def test_undo_and_redo_back_to_the_save_are_unmodified(tmp_path):
    session = Session(Volume(np.zeros((16, 12, 10), np.float32), np.eye(4)), workspace=tmp_path / "ws")
    session.segments.add("lesion")
    _paint(session, 4.0)
    session.save_labels(tmp_path / "labels.nii.gz")
    saved = session.labels.array.copy()
    assert not session.modified
    _paint(session, 10.0)
    assert session.modified
    session.undo()
    assert np.array_equal(session.labels.array, saved) and not session.modified
    session.undo()                                      # past the save: modified
    assert session.modified
    session.redo()
    assert not session.modified
    _paint(session, 12.0)                               # a new branch: the redo is gone
    session.undo()
    assert not session.modified
    session.redo()
    assert session.modified
    session.close()


def test_undoing_every_edit_of_a_new_case_leaves_nothing_to_save(tmp_path):
    session = Session(Volume(np.zeros((16, 12, 10), np.float32), np.eye(4)), workspace=tmp_path / "ws")
    session.segments.add("lesion")
    _paint(session, 4.0)
    assert session.modified
    session.undo()
    session.undo()
    assert not session.modified and not session.labels.array.any()
    session.close()


def test_a_forgotten_step_is_still_a_place_of_its_own():
    """With the oldest steps forgotten (the history is bounded), undoing every step kept is not
    the state before them."""
    history = History(max_steps=2)
    assert history.position == 0
    for step_id in (1, 2, 3):
        history.push(Step("paint", step_id=step_id))
    assert history.position == 3
    history.pop_undo()
    history.pop_undo()
    assert not history.can_undo and history.position == 1    # step 1 forgotten, still applied
    history.clear()
    assert history.position not in (0, 1, 2, 3)
