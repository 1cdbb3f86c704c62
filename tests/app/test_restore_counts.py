"""The restore question, the line after a restore and the damaged-journal notice count the same
thing: the user's edits (what Ctrl+Z and Ctrl+Y then offer). Before session 25 the question and
the notice counted journal records: three strokes after a save were offered as "4 saved steps"
(the stored label map counted as one) and then restored as "3 edits"; an undo counted as a step."""

import json

import numpy as np
import pytest

from neuroview.app.session import Session
from tests.app.journal_bytes import record_spans
from tests.app.paint_steps import paint


def _edited(volume, workspace, strokes: int, undos: int = 0):
    """A session killed after a save and ``strokes`` strokes, ``undos`` of them undone: the
    labels it left and its edits since the save (done, undone)."""
    s = Session(volume, workspace)
    s.segments.add("lesion")
    s.save_labels(workspace.parent / "labels.nii.gz")   # the segment added is in the saved file
    for k in range(strokes):
        paint(s, k)
    for _ in range(undos):
        s.undo()
    edits = (strokes - undos, undos)
    assert len(s.history.redo_steps) == undos
    labels = s.labels.array.copy()
    s.close()          # no clean quit: what a crash leaves
    return labels, edits


@pytest.mark.parametrize("strokes, undos", [(3, 0), (4, 1)])
def test_the_question_and_the_restore_line_count_the_edits(volume, tmp_path, strokes, undos):
    workspace = tmp_path / "ws"
    labels, (done, undone) = _edited(volume, workspace, strokes, undos)
    offered = Session.recovery(volume, workspace)
    assert (offered.edits, offered.undone, offered.lost) == (done, undone, 0)
    more = f", {undone} more undone" if undone else ""
    assert offered.question() == (
        "This image has edits from an earlier session that were never saved or discarded "
        f"({done} edits since the last save{more}). Restore them?")
    restored = Session(volume, workspace)
    assert np.array_equal(restored.labels.array, labels)
    assert (len(restored.history.undo_steps), len(restored.history.redo_steps)) == (done, undone)
    redo = f"; Ctrl+Y redoes {undone} edit undone before" if undone else ""
    assert restored.restored_line() == (
        f"restored the unsaved labels: {done} edits since the last save are back (Ctrl+Z undoes "
        f"them, back to the last save only){redo}")
    restored.close()


def test_the_damaged_journal_notice_counts_the_edits_restored_and_lost(volume, tmp_path):
    """Four strokes after a save, the third one's record damaged: three edits restored, one
    lost, in the question and in the notice (they said "4 saved steps" and "Restored 4 steps":
    the stored label map counted as a step)."""
    workspace = tmp_path / "ws"
    _edited(volume, workspace, strokes=4)
    journal = next(workspace.glob("journal-*.bin"))
    spans = record_spans(journal)
    assert len(spans) == 4                       # the strokes; the segment is in the saved map
    data = bytearray(journal.read_bytes())
    data[spans[2][1] - 5] ^= 0x10               # a bit of the third stroke's voxels
    journal.write_bytes(bytes(data))

    offered = Session.recovery(volume, workspace)
    assert (offered.edits, offered.undone, offered.lost) == (3, 0, 1)
    assert "(3 edits since the last save; 1 more was lost to a damaged crash journal" in offered.question()
    restored = Session(volume, workspace)
    assert len(restored.history.undo_steps) == 3 and not restored.history.can_redo
    kept = next(workspace.glob("damaged-*"))
    assert restored.restore_notice == (
        f"Restored 3 edits since the last save; 1 edit was lost: the crash journal is damaged at "
        f"byte {spans[2][0]} (a disk or copy fault); the damaged journal is kept in "
        f"workspace {workspace.name}/{kept.name}")
    assert restored.restored_line().startswith("restored the unsaved labels: 3 edits since")
    restored.close()


def test_an_undo_of_a_lost_edit_is_not_a_second_lost_edit(volume, tmp_path):
    """The damaged record is a stroke that was undone later: its undo is lost with it, one edit."""
    workspace = tmp_path / "ws"
    _edited(volume, workspace, strokes=3, undos=1)
    journal = next(workspace.glob("journal-*.bin"))
    spans = record_spans(journal)                # three strokes, the undo of the third
    data = bytearray(journal.read_bytes())
    data[spans[2][1] - 3] ^= 0x10
    journal.write_bytes(bytes(data))
    offered = Session.recovery(volume, workspace)
    assert (offered.edits, offered.undone, offered.lost) == (2, 0, 1)
    restored = Session(volume, workspace)
    assert restored.restore_notice.startswith("Restored 2 edits since the last save; 1 edit was lost")
    restored.close()


def test_a_zeroed_block_that_took_every_edit_is_said_plainly_with_no_wrong_count(volume, tmp_path):
    """A disk fault zeroed both strokes since the save (the undo after them intact): no edit comes
    back, the labels are as saved. The notice read "Restored no edit since the last save; 1 edit
    was lost": awkward, and one edit for two (a zeroed block keeps no mark of its records)."""
    workspace = tmp_path / "ws"
    _edited(volume, workspace, strokes=2, undos=1)
    saved = Session(volume, tmp_path / "saved")
    saved.load_labels(workspace.parent / "labels.nii.gz")
    as_saved = saved.labels.array.copy()
    saved.close()
    journal = next(workspace.glob("journal-*.bin"))
    spans = record_spans(journal)                # two strokes, the undo of the second
    assert len(spans) == 3
    data = bytearray(journal.read_bytes())
    data[spans[0][0]:spans[1][1]] = bytes(spans[1][1] - spans[0][0])
    journal.write_bytes(bytes(data))
    restored = Session(volume, workspace)
    np.testing.assert_array_equal(restored.labels.array, as_saved)
    kept = next(workspace.glob("damaged-*"))
    assert restored.restore_notice == (
        f"No edit could be restored: the crash journal is damaged at byte {spans[0][0]} (a disk or "
        f"copy fault); the edits since the last save were lost; the damaged journal is kept in "
        f"workspace {workspace.name}/{kept.name}")
    restored.close()


def test_offered_and_restored_agree_past_the_history_bound(volume, tmp_path):
    """A history bounded to fewer steps than the journal holds: the offer counts what Ctrl+Z
    will take back after the restore (the history's bound forgets the oldest), not the records."""
    workspace = tmp_path / "ws"
    _edited(volume, workspace, strokes=5)
    from neuroview.app.journal_replay import recovery
    from neuroview.core.journal import Journal, image_key

    journal = Journal(workspace, image_key(volume.frame(0), volume.ijk_to_ras), volume.shape[:3])
    offered = recovery(journal, history_steps=3)
    journal.close()
    restored = Session(volume, workspace, history_steps=3)
    assert offered.edits == len(restored.history.undo_steps) == 3 and offered.records == 6
    restored.close()


def test_edits_never_saved_are_offered_as_never_saved(volume, tmp_path):
    """The question said "3 edits since the last save" when no label map of the image had ever
    been saved (session 45); a save, in this session or an earlier one, brings the words back, and
    a workspace from before session 45 (which did not record saves) keeps them."""
    workspace = tmp_path / "ws"
    s = Session(volume, workspace)
    s.segments.add("lesion")
    for k in range(2):
        paint(s, k)
    s.close()          # no clean quit: what a crash leaves
    offered = Session.recovery(volume, workspace)
    assert offered.question() == ("This image has edits from an earlier session that were never "
                                  "saved or discarded (3 edits, never saved). Restore them?")
    restored = Session(volume, workspace)
    assert restored.restored_line() == ("restored the unsaved labels: 3 edits, never saved, are "
                                        "back (Ctrl+Z undoes them)")
    restored.save_labels(tmp_path / "labels.nii.gz")
    restored.active_segment = 1
    paint(restored, 5)
    restored.close()
    restored = Session(volume, workspace)   # saved in the earlier session, one edit since
    assert restored.restored_line().startswith("restored the unsaved labels: 1 edit since the last "
                                               "save is back")
    restored.active_segment = 1
    paint(restored, 6)
    restored.close()
    meta = json.loads((workspace / "workspace.json").read_text())
    assert meta["ever_saved"] is True
    del meta["ever_saved"]
    (workspace / "workspace.json").write_text(json.dumps(meta))
    assert "(2 edits since the last save)" in Session.recovery(volume, workspace).question()


def test_edits_never_saved_and_all_lost_are_said_never_saved(volume, tmp_path):
    """Labels never saved whose every edit a zeroed block took: the notice said "the edits since
    the last save were lost" of a save that never was (session 45)."""
    workspace = tmp_path / "ws"
    s = Session(volume, workspace)
    s.segments.add("lesion")
    paint(s, 0)
    s.undo()
    s.close()          # no clean quit: what a crash leaves
    journal = next(workspace.glob("journal-*.bin"))
    spans = record_spans(journal)                # the segment added, the stroke, its undo
    assert len(spans) == 3
    data = bytearray(journal.read_bytes())
    data[:spans[1][1]] = bytes(spans[1][1])      # the undo after the damage is intact
    journal.write_bytes(bytes(data))
    restored = Session(volume, workspace)
    assert not restored.labels.array.any()
    kept = next(workspace.glob("damaged-*"))
    assert restored.restore_notice == (
        "No edit could be restored: the crash journal is damaged at byte 0 (a disk or copy fault); "
        "the edits (never saved) were lost; the damaged journal is kept in workspace "
        f"{workspace.name}/{kept.name}")
    restored.close()
