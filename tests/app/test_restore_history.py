"""The undo history a restore after a crash gives: it starts at the last save (a compaction of the
workspace); a step from before it that was undone or redone since is in the journal whole, and
the history goes on from it. The replay cleared the history there, so the restore lost the redo
of later steps too: the labels were right, Ctrl+Y did nothing."""

import numpy as np

from neuroview.app.session import Session
from tests.app.paint_steps import paint


def _killed_and_restored(volume, workspace, session):
    """(undo steps, redo steps as ids, labels) before the kill, and the restored session."""
    history = session.history
    before = ([s.step_id for s in history.undo_steps], [s.step_id for s in history.redo_steps],
              session.labels.array.copy())
    session.close()     # no clean quit: what a kill leaves
    return before, Session(volume, workspace)


def test_a_step_from_before_the_save_undone_after_it_can_be_redone_after_a_restore(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    paint(s, 1)
    paint(s, 2)
    s.save_labels(tmp_path / "labels.nii.gz")    # compacts: the history before it is not journaled
    paint(s, 3)
    after_3 = s.labels.array.copy()
    s.undo()                                     # stroke 3
    s.undo()                                     # stroke 2, from before the save
    (_, redo, labels), restored = _killed_and_restored(volume, tmp_path / "ws", s)
    assert np.array_equal(restored.labels.array, labels)
    assert [st.step_id for st in restored.history.redo_steps] == redo     # strokes 2 then 3
    assert not restored.history.can_undo        # stroke 1 is in the stored label map only
    restored.redo()
    restored.redo()
    assert np.array_equal(restored.labels.array, after_3) and not restored.history.can_redo
    restored.undo()
    restored.undo()
    assert np.array_equal(restored.labels.array, labels)
    restored.close()


def test_redone_again_it_is_undone_again(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    paint(s, 1)
    s.save_labels(tmp_path / "labels.nii.gz")
    paint(s, 3)
    s.undo()
    s.undo()              # stroke 1 (whole in the journal)
    s.redo()              # stroke 1 again (a short record: the journal holds it)
    (undo, redo, labels), restored = _killed_and_restored(volume, tmp_path / "ws", s)
    assert np.array_equal(restored.labels.array, labels)
    assert [st.step_id for st in restored.history.undo_steps] == undo[-1:]   # from the save on
    assert [st.step_id for st in restored.history.redo_steps] == redo
    restored.close()


def test_a_step_undone_before_the_save_and_redone_after_it_is_undone_after_a_restore(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    before_1 = s.labels.array.copy()
    paint(s, 1)
    s.undo()
    s.save_labels(tmp_path / "labels.nii.gz")   # stroke 1 undone: kept in memory for Ctrl+Y
    s.redo()                                    # journaled whole
    (undo, _, labels), restored = _killed_and_restored(volume, tmp_path / "ws", s)
    assert np.array_equal(restored.labels.array, labels) and labels.any()
    assert [st.step_id for st in restored.history.undo_steps] == undo[-1:]
    restored.undo()
    assert np.array_equal(restored.labels.array, before_1)
    restored.close()


def test_the_restore_line_counts_the_edits_undo_offers(volume, tmp_path):
    """The window's Measurements line after *Restore* said "restored 3 steps of earlier edits"
    (the stored label map and the undo records counted) while Undo was disabled: it now counts
    the edits since the last save that Ctrl+Z takes back, and those Ctrl+Y redoes."""
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    paint(s, 1)
    s.save_labels(tmp_path / "labels.nii.gz")
    paint(s, 2)
    s.undo()
    _, restored = _killed_and_restored(volume, tmp_path / "ws", s)
    assert restored.restored_steps == 3 and not restored.history.can_undo
    assert restored.restored_line() == (
        "restored the unsaved labels: no edit since the last save to undo (Ctrl+Z goes back to "
        "the last save only); Ctrl+Y redoes 1 edit undone before")
    restored.redo()
    restored.apply("paint", at_ras=(12.0, 12.0, 6.0), radius_mm=3.0, mode="2d", view="axial", segment=1)
    _, again = _killed_and_restored(volume, tmp_path / "ws", restored)
    assert len(again.history.undo_steps) == 2
    assert again.restored_line() == (
        "restored the unsaved labels: 2 edits since the last save are back (Ctrl+Z undoes them, "
        "back to the last save only)")
    again.close()
