"""The Readers dialog after *Apply to label map*: the ``lesion`` segment the Apply made says who
adjudicated it, not "(was drawn)" (nobody drew it)."""

from __future__ import annotations

from readers_helpers import adjudicate, find_and_compare, from_cell, open_readers, study


def test_apply_then_apply_again_and_undo(qtbot, window, tmp_path, mni_volume):
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)))
    session = window.editor.session
    assert "lesion" not in [s.name for s in session.labels.segments]   # the Apply makes it
    adjudicate(qtbot, dialog, "Sam Senior")
    qtbot.waitUntil(lambda: from_cell(window)[0] == "adjudicated", timeout=5000)
    assert from_cell(window)[1] == "adjudicated by Sam Senior"
