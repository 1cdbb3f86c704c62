"""A crash journal cut inside its last record (a kill while neuroview wrote it) or left empty (a
kill before its first record's bytes reached the disk): every complete step comes back voxel for
voxel, and the restore question and the notice after the restore say that the last step, which
was being written, could not be restored, naming it when its header was written. Until session 37
such a journal opened without a word."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.restore_offer import restore_offer
from neuroview.app.session import Session
from neuroview.core.volume import Volume
from tests.app.journal_bytes import record_spans

LOST = "which was being written when neuroview stopped, could not be restored."


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """A segment and three strokes journaled: the journal's bytes, its records' spans, the image
    and the label map after each step."""
    rng = np.random.default_rng(5)
    volume = Volume(rng.normal(0, 1, (24, 22, 18)).astype(np.float32), np.eye(4))
    workspace = tmp_path_factory.mktemp("cut") / "ws"
    session = Session(volume, workspace)
    one = session.segments.add("one")
    states = [session.labels.array.copy()]
    for k in range(3):
        session.apply("paint", at_ras=(4.0 + 3 * k, 5.0 + k, 6.0), radius_mm=2.5, mode="3d", segment=one)
        states.append(session.labels.array.copy())
    session.journal.close()
    journal = workspace / "journal-0.bin"
    return volume, journal.read_bytes(), record_spans(journal), states


# bytes of the last record kept: part of its head; its header's first bytes (no kind yet); its
# kind (a step) without its name; its name; all but its last voxel byte
@pytest.mark.parametrize("kept, words", [(3, "edit"), (20, "edit"), (40, "edit"),
                                         (200, "edit (paint)"), (-1, "edit (paint)")])
def test_a_journal_cut_in_its_last_record_restores_the_rest(written, tmp_path, kept, words):
    volume, data, spans, states = written
    start, end = spans[-1]
    workspace = fresh_workspace(volume, tmp_path)
    journal = workspace / "journal-0.bin"
    journal.write_bytes(data[:(end if kept < 0 else start) + kept])

    offer = restore_offer(volume, workspace)
    assert (offer.restorable.edits, offer.restorable.lost) == (3, 0)   # the segment, two strokes
    assert f"(3 edits, never saved). The last {words}, {LOST} Restore them?" in offer.question()
    session = Session(volume, workspace)
    np.testing.assert_array_equal(session.labels.array, states[2])   # voxel for voxel
    assert (states[2] > 0).sum() > 50 and not np.array_equal(states[2], states[3])
    assert session.restore_notice == f"The last {words}, {LOST}"
    assert journal.stat().st_size == start   # the torn bytes cut off: told once
    session.apply("paint", at_ras=(12.0, 15.0, 9.0), radius_mm=2.0, mode="3d", segment=1)
    after = session.labels.array.copy()
    session.journal.close()
    again = Session(volume, workspace)
    assert again.restore_notice is None
    np.testing.assert_array_equal(again.labels.array, after)
    again.close()


def test_an_empty_journal_says_its_edit_was_lost(written, tmp_path):
    """A kill after the journal file was made, before its first record: nothing to offer, and
    the opening says the edit was lost (once)."""
    volume = written[0]
    workspace = fresh_workspace(volume, tmp_path)
    journal = workspace / "journal-0.bin"
    journal.write_bytes(b"")
    assert restore_offer(volume, workspace) is None
    session = Session(volume, workspace)
    assert session.restore_notice == f"The last edit, {LOST}"
    assert not session.labels.array.any() and not journal.exists()
    session.close()
    again = Session(volume, workspace)
    assert again.restore_notice is None
    again.close()


def fresh_workspace(volume, tmp_path):
    """The image's workspace, never edited (its workspace.json only)."""
    workspace = tmp_path / "ws"
    Session(volume, workspace).close()
    return workspace


def test_an_empty_journal_after_a_save_is_said_in_the_saved_question(written, tmp_path):
    """Saved, then killed as the next edit's record began: the labels as saved are offered, and
    the question says that edit was lost."""
    volume, states = written[0], written[3]
    session = Session(volume, tmp_path / "ws")
    session.load_label_volume(Volume(states[3], volume.ijk_to_ras), "")
    session.save_labels(tmp_path / "labels.nii.gz")
    session.journal.close()
    journal = session.journal.journal_path   # the next generation's, not made before an edit
    journal.write_bytes(b"")
    offer = restore_offer(volume, tmp_path / "ws")
    assert offer.saved_unchanged and offer.question().endswith(f"no edit since. The last edit, {LOST} "
                                                               "Restore them?")
    restored = Session(volume, tmp_path / "ws")
    np.testing.assert_array_equal(restored.labels.array, states[3])
    assert restored.restore_notice == f"The last edit, {LOST}" and not journal.exists()
    restored.close()
