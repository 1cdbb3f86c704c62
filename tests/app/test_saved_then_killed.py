"""Save labels, then a crash (kill -9) before quitting: the workspace knows its label map is the
one saved. On a walk through the demo case, reopening after that offered "edits from an earlier
session that were never saved", and after *Restore* quitting asked to save them again."""

from __future__ import annotations

import numpy as np

from neuroview.app.session import Session
from tests.app.paint_steps import paint


def _painted_and_saved(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    paint(s, 2)
    paint(s, 4)
    s.save_labels(tmp_path / "labels.nii.gz")
    return s


def test_saved_then_killed_restores_the_labels_as_saved(volume, tmp_path):
    s = _painted_and_saved(volume, tmp_path)
    saved = s.labels.array.copy()
    s.close()                      # no clean quit: what a kill leaves
    assert Session.saved_unchanged(volume, tmp_path / "ws")
    restored = Session(volume, tmp_path / "ws")
    assert np.array_equal(restored.labels.array, saved)
    assert not restored.modified   # quitting now asks nothing: these labels are in the file
    assert restored.restored_line() == ("restored the labels as last saved (no edit since the save); "
                                        "the undo history from before the save is not kept: Ctrl+Z "
                                        "has nothing to undo")
    assert restored.undo() is None and np.array_equal(restored.labels.array, saved)   # as it says
    restored.segments.select(restored.segments["lesion"])
    paint(restored, 5)
    assert restored.modified
    restored.undo()
    assert not restored.modified   # back at the labels saved
    restored.close()


def test_an_edit_after_the_save_is_unsaved_again(volume, tmp_path):
    s = _painted_and_saved(volume, tmp_path)
    paint(s, 6)
    s.close()
    assert not Session.saved_unchanged(volume, tmp_path / "ws")
    restored = Session(volume, tmp_path / "ws")
    assert restored.modified
    restored.close()


def test_a_save_compacted_in_a_worker_counts_too(volume, tmp_path):
    """The window saves with ``compact=False`` and compacts in a worker (``ui.compaction``)."""
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    paint(s, 2)
    s.save_labels(tmp_path / "labels.nii.gz", compact=False)
    checkpoint = s.begin_checkpoint()
    assert checkpoint.write() and s.end_checkpoint(checkpoint)
    s.save_labels(tmp_path / "again.nii.gz", compact=False)   # nothing to compact: still saved
    assert s.begin_checkpoint() is None
    s.close()
    assert Session.saved_unchanged(volume, tmp_path / "ws")
    assert not Session(volume, tmp_path / "ws").modified


def test_a_compaction_without_a_save_is_not_a_save(volume, tmp_path):
    """The journal compacts by itself when it grows past its bounds: that label map is in no file."""
    s = Session(volume, tmp_path / "ws", journal_max_records=2)
    s.segments.add("lesion")
    for k in range(1, 6):
        paint(s, k)
    s.close()
    assert not Session.saved_unchanged(volume, tmp_path / "ws")
    restored = Session(volume, tmp_path / "ws")
    assert restored.modified
    restored.close()
