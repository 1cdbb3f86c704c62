"""``app.restore_offer``: the question the window asks when an image with earlier edits opens, as
the worker that reads the journal for it gives it (``ui.actions_open``; until session 26 the
window read the journal for it on the GUI thread)."""

from neuroview.app.restore_offer import SAVED_QUESTION, has_workspace, restore_offer
from neuroview.app.session import Session


def test_no_workspace_nothing_to_offer(volume, tmp_path):
    assert not has_workspace(tmp_path / "ws")
    Session(volume, tmp_path / "ws").close()            # made, never edited
    assert has_workspace(tmp_path / "ws") and restore_offer(volume, tmp_path / "ws") is None


def test_edits_never_saved_are_offered_in_undos_words(volume, tmp_path):
    crashed = Session(volume, tmp_path / "ws")
    lesion = crashed.segments.add("lesion")
    for z in (4.0, 8.0, 12.0):
        crashed.apply("paint", at_ras=(10.0, 10.0, z), radius_mm=2.0, segment=lesion)
    crashed.undo()
    crashed.journal.close()                              # killed
    offer = restore_offer(volume, tmp_path / "ws")
    assert not offer.saved_unchanged
    assert offer.question() == Session.recovery(volume, tmp_path / "ws").question()
    assert "(3 edits, never saved, 1 more undone)" in offer.question()


def test_a_crash_after_save_is_offered_as_saved(volume, tmp_path):
    crashed = Session(volume, tmp_path / "ws")
    lesion = crashed.segments.add("lesion")
    crashed.apply("paint", at_ras=(10.0, 10.0, 8.0), radius_mm=2.0, segment=lesion)
    crashed.save_labels(tmp_path / "labels.nii.gz")
    crashed.journal.close()                              # killed after the save
    offer = restore_offer(volume, tmp_path / "ws")
    assert offer.saved_unchanged and offer.question() == SAVED_QUESTION


def test_a_cancel_stops_the_read_between_records_and_writes_nothing(volume, tmp_path, monkeypatch):
    """Cancel in the job bar while a big journal is read for the offer: the read stops at the next
    record (it read on to the end until session 27), the journal as it was, offered next time."""
    import pytest

    from neuroview.core import journal as journal_module
    from neuroview.core.errors import Cancelled
    from neuroview.core.jobs import CancelToken

    crashed = Session(volume, tmp_path / "ws")
    lesion = crashed.segments.add("lesion")
    for n in range(200):   # painted, then erased: 200 steps that each change voxels
        crashed.apply("erase" if n % 2 else "paint", at_ras=(10.0, 10.0, 4.0 + n % 20),
                      radius_mm=1.0, segment=lesion)
    crashed.journal.close()                              # killed
    whole = restore_offer(volume, tmp_path / "ws").question()
    assert "(201 edits, never saved)" in whole
    before = {p.name: p.read_bytes() for p in (tmp_path / "ws").iterdir() if p.is_file()}
    cancel, read = CancelToken(), []
    records = journal_module.Journal.records

    def counted(self):
        for record in records(self):
            read.append(record)
            if len(read) == 3:
                cancel.cancel()                          # the user clicks Cancel here
            yield record

    monkeypatch.setattr(journal_module.Journal, "records", counted)
    with pytest.raises(Cancelled):
        restore_offer(volume, tmp_path / "ws", cancel)
    assert len(read) == 3                                # not 201
    monkeypatch.setattr(journal_module.Journal, "records", records)
    assert {p.name: p.read_bytes() for p in (tmp_path / "ws").iterdir() if p.is_file()} == before
    assert restore_offer(volume, tmp_path / "ws").question() == whole   # offered next time, whole
