"""A ruler or angle drawn after Ctrl+Z forgets the steps undone (one history of the user's changes,
``ui.edit_controller``): ``Session.drop_redo`` journals that, so a restore after a crash gives
the history the user had, not one where Ctrl+Y brings back a step no longer redoable."""

import numpy as np
import pytest

from neuroview.app.session import Session
from tests.app.paint_steps import paint


@pytest.mark.parametrize("saved_first", [False, True], ids=["journal-only", "after-a-save"])
def test_the_restored_history_is_the_one_the_user_had(volume, tmp_path, saved_first):
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    paint(s, 2)
    first = s.labels.array.copy()
    if saved_first:   # compacts: the undo below is journaled with its whole step
        s.save_labels(tmp_path / "labels.nii.gz")
    paint(s, 4)
    s.undo()                     # the second stroke: redoable...
    s.drop_redo()                # ...until a ruler is drawn
    assert not s.history.can_redo
    s.undo()                     # the first stroke: redoable, the second one not
    expected, table = s.labels.array.copy(), s.labels.segments.to_list()
    s.close()                    # no clean quit: what a kill leaves
    offered = Session.recoverable_steps(volume, tmp_path / "ws")
    restored = Session(volume, tmp_path / "ws")
    assert np.array_equal(restored.labels.array, expected)
    assert restored.labels.segments.to_list() == table
    # the base counts one; the drop is no step
    assert restored.restored_steps == offered == (4 if saved_first else 5)
    assert restored.redo() is not None and np.array_equal(restored.labels.array, first)
    assert restored.redo() is None and not restored.history.can_redo
    restored.close()


def test_nothing_to_drop_writes_nothing(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    paint(s, 2)
    kinds = [r.kind for r in s.journal.records()]
    s.drop_redo()                # a ruler drawn with nothing undone: the journal is unchanged
    assert [r.kind for r in s.journal.records()] == kinds == ["step", "step"]
    s.undo()
    s.drop_redo()
    assert [r.kind for r in s.journal.records()] == ["step", "step", "undo", "drop"]
    s.close()
