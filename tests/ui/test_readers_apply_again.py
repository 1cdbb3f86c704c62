"""The Readers dialog after *Apply to label map*: the ``lesion`` segment the Apply made says who
adjudicated it, not "(was drawn)" (nobody drew it); the progress line says the lesions are applied
(it still asked to Apply), and the status line above it follows Ctrl+Z and Ctrl+Y (it said
"Adjudicated mask applied" after Ctrl+Z); after a second Apply of the same lesions (another
outline, another adjudicator) and Ctrl+Z, *Save SEG...* and *Add to training set...* stay usable
with the first Apply's record (they were greyed out although the case's record was the first
Apply's)."""

from __future__ import annotations

import json

import numpy as np
from editor_helpers import shortcut
from PySide6.QtCore import Qt
from readers_helpers import adjudicate, find_and_compare, from_cell, open_readers, study

from neuroview.app.readers import provenance_path


def test_apply_then_apply_again_and_undo(qtbot, window, tmp_path, mni_volume):
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)))
    session = window.editor.session
    assert "lesion" not in [s.name for s in session.labels.segments]   # the Apply makes it
    adjudicate(qtbot, dialog, "Sam Senior")
    qtbot.waitUntil(lambda: from_cell(window)[0] == "adjudicated", timeout=5000)
    assert from_cell(window)[1] == "adjudicated by Sam Senior"
    assert dialog.progress.text() == ("All 1 lesion decided and applied by Sam Senior: Save SEG, "
                                      "Send to server or Add to training set.")
    value = session.labels.segments.by_name("lesion").value
    first = session.labels.array == value

    dialog.lesions.selectRow(0)   # another outline, another adjudicator, applied again
    qtbot.mouseClick(dialog.take_buttons["Smith^Ann"], Qt.LeftButton)
    assert dialog.progress.text() == ("All 1 lesion decided: Apply to label map (the label map "
                                      "holds Sam Senior's earlier Apply).")
    dialog.adjudicator_edit.clear()
    qtbot.keyClicks(dialog.adjudicator_edit, "Ann Other")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    assert not np.array_equal(session.labels.array == value, first)
    assert from_cell(window)[1] == "adjudicated by Ann Other (was adjudicated by Sam Senior)"
    applied = dialog.status.text()
    assert applied.startswith("Adjudicated mask applied (") and "; 1: Ann Smith)" in applied

    # the status line follows Ctrl+Z and Ctrl+Y (it said "applied" after Ctrl+Z until session 40)
    sam = "Ctrl+Z took the Apply back: the label map holds Sam Senior's earlier Apply ("
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the second Apply taken back
    assert dialog.status.text().startswith(sam) and "; 1: Bob Jones); Ctrl+Y" in dialog.status.text()
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the first too
    assert dialog.status.text() == ("Ctrl+Z took the Apply back: the label map is as it was before it "
                                    "(Ctrl+Y applies it again).")
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert dialog.status.text().startswith(sam)
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert dialog.status.text() == applied
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the second Apply taken back again
    case = window.editor.case
    assert np.array_equal(session.labels.array == value, first)
    assert case.adjudication.result.adjudicator == "Senior^Sam"   # the SEG's PN; records read "Sam Senior"
    buttons = (dialog.save_button, dialog.training_button)
    assert all(b.isEnabled() for b in buttons)
    assert dialog.progress.text() == ("All 1 lesion decided: Apply to label map (the label map "
                                      "holds Sam Senior's earlier Apply).")
    dialog.save_seg(tmp_path / "adjudicated.dcm")
    record = json.loads(provenance_path(tmp_path / "adjudicated.dcm").read_text())
    assert record["adjudicator"] == "Sam Senior"
    assert [item["taken_from"] for item in record["lesions"]] == ["Jones^Bob"]
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the first Apply too: nothing applied
    assert case.adjudication is None and not any(b.isEnabled() for b in buttons)


def test_an_edit_after_undoing_the_apply(qtbot, window, tmp_path, mni_volume):
    """Ctrl+Z of an Apply, then an edit: Ctrl+Y can no longer apply it, and the status line says
    so (it offered Ctrl+Y)."""
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)))
    session = window.editor.session
    adjudicate(qtbot, dialog, "Sam Senior")
    dialog.lesions.selectRow(0)   # applied again, Ann's outline
    qtbot.mouseClick(dialog.take_buttons["Smith^Ann"], Qt.LeftButton)
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert dialog.status.text().endswith("; 1: Bob Jones); Ctrl+Y applies the later one again.")
    session.segments.add("other")   # a new step: the later Apply's redo is gone
    assert dialog.status.text().endswith("; 1: Bob Jones); an edit since ended the later one's redo.")
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the segment added
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # Sam's Apply
    assert dialog.status.text().endswith("(Ctrl+Y applies it again).")
    session.segments.add("other")
    assert not session.history.can_redo
    assert dialog.status.text() == ("Ctrl+Z took the Apply back, and an edit since ended its redo: "
                                    "Apply to label map applies it again.")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    applied = dialog.status.text()
    assert applied.startswith("Adjudicated mask applied (")

    # the lesion segment removed: no adjudicated version to save, send or add (they went out as
    # Sam Senior's, the lesion gone, or a segment drawn next with its value as the lesion)
    lesion = session.labels.segments.by_name("lesion").value
    session.segments.remove(lesion)
    assert window.editor.case.adjudication is None
    assert dialog.status.text() == ("The segment the Apply filled was removed: the label map is no "
                                    "adjudicated version (Ctrl+Z gives the segment back, or Apply to "
                                    "label map again).")
    assert not dialog.save_button.isEnabled() and not dialog.training_button.isEnabled()
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert dialog.status.text() == applied and dialog.save_button.isEnabled()
