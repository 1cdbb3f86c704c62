"""Quitting and the restore offer (issue #10, item 4), without Qt: unsaved edits are known, a
discarded workspace is not offered again, and the offer counts what the restore gives back."""

import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.app.session import Session
from tests.app.paint_steps import paint


def test_modified_until_saved(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    assert not s.modified
    s.segments.add("lesion")
    paint(s, 3)
    assert s.modified
    s.save_labels(tmp_path / "labels.nii.gz")
    assert not s.modified
    s.undo()
    assert s.modified
    s.close()


@pytest.mark.parametrize("saved_first", [False, True], ids=["journal-only", "after-a-save"])
def test_the_offer_counts_what_the_restore_gives_back(volume, tmp_path, saved_first):
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    paint(s, 2)
    if saved_first:   # the save compacts the journal into a stored label map
        s.save_labels(tmp_path / "labels.nii.gz")
    paint(s, 4)
    paint(s, 6)
    s.undo()
    expected = s.labels.array.copy()
    s.close()         # no clean quit: what a crash leaves
    offered = Session.recoverable_steps(volume, tmp_path / "ws")
    restored = Session(volume, tmp_path / "ws")
    assert np.array_equal(restored.labels.array, expected)
    assert restored.restored_steps == offered == (4 if saved_first else 5)
    assert restored.modified   # restored edits are not saved yet
    restored.close()


def test_discarded_on_quit_is_not_offered_again_and_nothing_is_deleted(volume, tmp_path):
    case = Case.open(volume, tmp_path / "ws")
    case.session.segments.add("lesion")
    paint(case.session, 3)
    painted = case.labels.array.copy()
    case.close()
    aside = case.set_workspace_aside()
    assert Session.recoverable_steps(volume, tmp_path / "ws") == 0
    again = Case.open(volume, tmp_path / "ws")
    assert not again.labels.array.any() and not again.modified
    again.close()
    assert again.set_workspace_aside() is None           # nothing to set aside: left as it is
    kept = Session(volume, aside)                         # the discarded edits are still on disk
    assert np.array_equal(kept.labels.array, painted)
    kept.close()
