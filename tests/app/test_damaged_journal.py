"""A crash journal damaged in the middle (a flipped bit on disk, a copy gone wrong): the records
after the damage are restored too, the user is told in one line how many steps were restored and
how many lost, and the damaged journal is kept aside.

Before: reading stopped at the first damaged record, so one flipped bit in record 3 of 200 lost
records 4-200 without a word, and the next edit truncated the journal there (they were gone from
the disk too)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.session import Session
from neuroview.core.journal import Journal, image_key
from neuroview.core.volume import Volume
from tests.app.journal_bytes import record_spans, without_stroke


@pytest.fixture
def volume():
    rng = np.random.default_rng(5)
    return Volume(rng.normal(0, 1, (24, 22, 18)).astype(np.float32), np.eye(4))


def edit(volume, workspace, strokes=6) -> list[np.ndarray]:
    """A session killed after ``strokes`` strokes of two segments: the label map after each."""
    session = Session(volume, workspace)
    one, two = session.segments.add("one"), session.segments.add("two")
    states = [session.labels.array.copy()]
    for k in range(strokes):
        session.apply("paint", at_ras=(4.0 + 3 * k, 5.0 + k, 6.0 + (k % 3)), radius_mm=2.5,
                      mode="3d", segment=one if k % 2 == 0 else two)
        states.append(session.labels.array.copy())
    session.journal.close()
    return states


def flip(path, at: int, mask: int = 0x10) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= mask
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", ["payload", "length"])
def test_the_steps_after_a_damaged_record_are_restored(tmp_path, volume, where):
    workspace = tmp_path / "ws"
    states = edit(volume, workspace)
    journal = workspace / "journal-0.bin"
    spans = record_spans(journal)
    assert len(spans) == 8   # two segments added, six strokes
    start, end = spans[4]    # stroke 3
    original = journal.read_bytes()
    # a bit of the voxels, or of the length field (the reader must find the next record itself)
    flip(journal, end - 5 if where == "payload" else start + 6)
    damaged = journal.read_bytes()

    offered = Session.recovery(volume, workspace)   # two segments added, five strokes
    assert (offered.edits, offered.lost, offered.records) == (7, 1, 7)
    session = Session(volume, workspace)
    assert session.restored_steps == 7
    expected = without_stroke(states, 3)
    np.testing.assert_array_equal(session.labels.array, expected)
    # strokes 4-6 are there; stroke 3's own voxels are what is lost
    assert (expected != states[2]).sum() > 50 and (expected != states[-1]).sum() > 0
    assert [s.name for s in session.segments] == ["one", "two"]
    assert session.restore_notice == (
        f"Restored 7 edits, never saved; 1 edit was lost: the crash journal is damaged at "
        f"byte {start} (a disk or copy fault); the damaged journal is kept in "
        f"workspace {workspace.name}/{next(workspace.glob('damaged-*')).name}")   # no absolute path
    kept = next(workspace.glob("damaged-*")) / "journal-0.bin"
    assert kept.read_bytes() == damaged and damaged != original
    # new edits go to a clean journal; the next restore gives back everything, with no damage
    session.apply("paint", at_ras=(12.0, 15.0, 9.0), radius_mm=2.0, mode="3d", segment=1)
    session.undo()
    session.undo()   # stroke 6, from before the compaction: undone with its diff's old values
    undone = session.labels.array.copy()
    session.redo()
    after = session.labels.array.copy()
    session.journal.close()
    again = Session(volume, workspace)
    np.testing.assert_array_equal(again.labels.array, after)
    assert again.restore_notice is None and len(list(workspace.glob("damaged-*"))) == 1
    assert (after != undone).sum() > 0
    again.close()


def test_an_undo_of_a_lost_step_is_not_applied_to_another(tmp_path, volume):
    """The lost record is a stroke that a later record undoes: that undo must not undo the stroke
    before it (the replay's undo stack no longer holds the lost one)."""
    workspace = tmp_path / "ws"
    session = Session(volume, workspace)
    one = session.segments.add("one")
    states = [session.labels.array.copy()]
    for k in range(3):
        session.apply("paint", at_ras=(5.0 + 4 * k, 8.0, 8.0), radius_mm=2.5, mode="3d", segment=one)
        states.append(session.labels.array.copy())
    session.undo()    # undoes stroke 3
    session.journal.close()
    journal = workspace / "journal-0.bin"
    start, end = record_spans(journal)[3]   # stroke 3
    flip(journal, end - 3)
    offered = Session.recovery(volume, workspace)
    # stroke 3 is the edit lost; its undo, lost with it, is no second one
    assert (offered.edits, offered.undone, offered.lost, offered.records) == (3, 0, 1, 3)
    restored = Session(volume, workspace)
    np.testing.assert_array_equal(restored.labels.array, states[2])
    assert "Restored 3 edits, never saved; 1 edit was lost" in restored.restore_notice
    restored.close()


def test_a_torn_last_record_is_no_damage(tmp_path, volume):
    """A kill mid-write leaves half a record at the end: expected, dropped, nothing kept aside;
    the notice says the edit being written was not restored (``test_cut_journal``)."""
    workspace = tmp_path / "ws"
    states = edit(volume, workspace, strokes=2)
    journal = workspace / "journal-0.bin"
    with open(journal, "ab") as handle:
        handle.write(b"NVJ1\x50\x00\x00\x00half a rec")
    offered = Session.recovery(volume, workspace)
    assert (offered.edits, offered.lost, offered.records) == (4, 0, 4)
    session = Session(volume, workspace)
    np.testing.assert_array_equal(session.labels.array, states[-1])
    assert session.restore_notice == ("The last edit, which was being written when neuroview "
                                      "stopped, could not be restored.")
    assert not list(workspace.glob("damaged-*"))
    session.close()


def test_appending_to_a_damaged_journal_keeps_a_copy_first(tmp_path, volume):
    """The journal used alone (no Session): an append cuts a torn tail, so a journal with damage
    in it is copied aside before anything is written."""
    workspace = tmp_path / "ws"
    edit(volume, workspace, strokes=3)
    path = workspace / "journal-0.bin"
    flip(path, record_spans(path)[3][1] - 2)
    damaged = path.read_bytes()
    journal = Journal(workspace, image_key(volume.frame(0), volume.ijk_to_ras), volume.shape)
    assert [r.step_id for r in journal.records()] == [1, 2, 3, 5]
    assert [(d.offset, d.records) for d in journal.damage] == [(record_spans(path)[3][0], 1)]
    journal.append_undo(journal.read_step(record_spans(path)[4][0]))
    journal.close()
    assert (next(workspace.glob("damaged-*")) / "journal-0.bin").read_bytes() == damaged


def test_voxels_of_a_segment_whose_adding_was_lost_get_a_segment(tmp_path, volume):
    """The damaged record added segment "two": the strokes painted with it come back, and their
    value gets a segment, so they show in the list and can be edited."""
    workspace = tmp_path / "ws"
    states = edit(volume, workspace)
    journal = workspace / "journal-0.bin"
    flip(journal, record_spans(journal)[1][1] - 3)    # records: add "one", add "two", strokes
    session = Session(volume, workspace)
    np.testing.assert_array_equal(session.labels.array, states[-1])
    assert [(s.value, s.name) for s in session.segments] == [(1, "one"), (2, "Segment 2")]
    assert "1 edit was lost" in session.restore_notice
    session.close()
