"""``Session.take_back``: the segment made for a stroke (or AI click object) thrown away with Esc
goes, and leaves nothing: no unsaved edit, no Ctrl+Y, nothing a restore after a crash offers
(until session 38 the next start offered "no edit since the last save" for it)."""

from __future__ import annotations

import numpy as np

from neuroview.app.case import Case
from neuroview.app.restore_offer import restore_offer
from neuroview.core.volume import Volume


def _with_a_segment(workspace):
    """An image, its case, and the step that made "Segment 1" (as a press with none makes it)."""
    volume = Volume(np.linspace(0, 1, 16 * 16 * 8, dtype=np.float32).reshape(16, 16, 8), np.eye(4))
    case = Case.open(volume, workspace)
    case.session.segments.add("Segment 1")
    return volume, case, case.session.history.next_undo


def test_a_segment_taken_back_leaves_nothing_to_save_or_restore(tmp_path):
    volume, case, made = _with_a_segment(tmp_path / "ws")
    session = case.session
    assert session.take_back(made) and not case.modified
    assert list(session.labels.segments) == [] and not session.history.can_redo
    assert not session.take_back(made)   # once only
    case.close()   # as a crash: the journal stays
    assert restore_offer(volume, tmp_path / "ws") is None


def test_only_the_newest_step_is_taken_back_and_real_edits_are_offered(tmp_path):
    volume, case, made = _with_a_segment(tmp_path / "ws")
    session = case.session
    session.apply("paint", at_ras=(8.0, 8.0, 4.0), radius_mm=2.0, mode="2d")
    assert not session.take_back(made)   # drawn into since: the user's segment
    painted = session.labels.array.copy()
    assert painted.any() and case.modified
    case.close()
    offer = restore_offer(volume, tmp_path / "ws")
    assert (offer.restorable.edits, offer.restorable.undone) == (2, 0)
    restored = Case.open(volume, tmp_path / "ws")
    assert np.array_equal(restored.labels.array, painted)
    restored.close()
