"""The training set's ``hand_edits`` counts the edits made before a save that a crash then cut
off from the undo history: a restore starts the history at the workspace's base (the labels as
saved), so a case corrected, saved and killed before its send was sent with ``hand_edits: 0``
beside ``hand_edited: true`` (session 43's walk: two strokes, Ctrl+S, Send killed, sent again
after the restore). The count behind the base is kept beside it (``app.hand_edits_kept``)."""

import json

from neuroview.app.case import Case
from neuroview.app.session import Session
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from tests.app.loaded_labels import AFFINE, IMAGE, draw_lesion, killed, new_session, paint


def _hand_edits(session, tmp_path) -> int:
    folder = tmp_path / f"d{len(list(tmp_path.glob('d*')))}"
    dataset = init_dataset(folder, "Lesions", ["background", "lesion"])
    record = Case(session).send_to_training_set(dataset, "dr.a")
    stored = json.loads((dataset / "provenance" / f"{record.case}.json").read_text())
    assert stored["segments"][0]["hand_edited"]
    return stored["hand_edits"]


def test_edits_saved_before_a_crash_are_counted_after_the_restore(tmp_path):
    session = new_session(tmp_path)
    draw_lesion(session)                                  # 1
    paint(session, (6, 6, 8))                             # 2
    paint(session, (16, 26, 8))
    session.undo()                                        # taken back: none
    session.save_labels(tmp_path / "saved.nii.gz")        # compacts the journal
    assert _hand_edits(session, tmp_path) == 2
    restored = killed(session, tmp_path)                  # saved, no edit since
    assert not restored.history.can_undo
    assert _hand_edits(restored, tmp_path) == 2           # it read 0
    paint(restored, (26, 6, 8))                           # 3, after the restore
    restored.save_labels(tmp_path / "saved.nii.gz")
    paint(restored, (26, 26, 8))                          # 4, in the journal
    again = killed(restored, tmp_path)
    assert again.history.can_undo
    assert _hand_edits(again, tmp_path) == 4


def test_starting_over_counts_none(tmp_path):
    session = new_session(tmp_path)
    draw_lesion(session)
    session.save_labels(tmp_path / "saved.nii.gz")
    session.journal.close()                               # killed
    fresh = Session(Volume(IMAGE, AFFINE), tmp_path / "ws", restore=False)   # Discard
    draw_lesion(fresh)
    assert _hand_edits(fresh, tmp_path) == 1
    fresh.save_labels(tmp_path / "saved.nii.gz")
    assert _hand_edits(killed(fresh, tmp_path), tmp_path) == 1


def test_edits_the_bounded_undo_history_forgot_are_counted(tmp_path):
    session = new_session(tmp_path, steps=3)              # Ctrl+Z reaches the last 3 steps
    draw_lesion(session)                                  # 1
    for k in (4, 10, 16, 22):                             # 2..5
        paint(session, (k, 6, 8))
    assert len(session.history.undo_steps) == 3
    assert _hand_edits(session, tmp_path) == 5            # it read 3
    session.undo()                                        # taken back: 4
    assert _hand_edits(session, tmp_path) == 4
    restored = killed(session, tmp_path, steps=2)         # replayed into a history of 2
    assert _hand_edits(restored, tmp_path) == 4
