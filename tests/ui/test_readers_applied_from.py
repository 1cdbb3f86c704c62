"""After *Apply to label map* in the readers' Adjudicate tab, the Segments list's *From* column
reads ``adjudicated`` (as the training set records the lesion), ``adjudicated + drawn`` once a
voxel is changed by hand after, and Ctrl+Z gives the lesion's origin before back. It kept the
old origin (``tiny@1.0``, ``tiny@1.0 + drawn``) until session 36."""

from __future__ import annotations

import numpy as np
from editor_helpers import shortcut
from PySide6.QtCore import Qt
from readers_helpers import adjudicate, find_and_compare, from_cell, open_readers, study


def test_the_from_column_says_adjudicated_until_undone(qtbot, window, tmp_path, mni_volume):
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)))
    session = window.editor.session
    proposed = np.zeros(session.labels.array.shape, np.uint8)
    proposed[5:9, 5:9, 4:6] = 1                        # a model's lesion before the adjudication
    session.apply_model_result(proposed, {1: "lesion"}, model="tiny@1.0")
    qtbot.waitUntil(lambda: from_cell(window)[0] == "tiny@1.0", timeout=5000)

    adjudicate(qtbot, dialog, "Sam Senior")
    assert dialog.save_button.isEnabled(), dialog.status.text()
    value = session.labels.segments.by_name("lesion").value
    adjudicated = session.labels.array == value
    assert adjudicated.any() and not np.array_equal(adjudicated, proposed.astype(bool))
    qtbot.waitUntil(lambda: from_cell(window)[0] == "adjudicated", timeout=5000)
    assert from_cell(window)[1] == "adjudicated by Sam Senior (was tiny@1.0)"

    ijk = np.argwhere(adjudicated)[0]
    at_ras = (session.volume.ijk_to_ras @ np.append(ijk, 1.0))[:3]
    other = session.segments.add("other")              # another segment painted: no hand edit of it
    far = (session.volume.ijk_to_ras @ np.array([18.0, 16.0, ijk[2], 1.0]))[:3]   # off the lesions
    session.apply("paint", at_ras=far, radius_mm=1, mode="2d", segment=other)
    assert (session.labels.array == other.value).any()
    qtbot.waitUntil(lambda: from_cell(window, "other")[0] == "drawn", timeout=5000)
    assert from_cell(window)[0] == "adjudicated"
    for _ in range(2):                                 # the paint and the segment taken back
        shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert "other" not in [s.name for s in session.labels.segments]
    # a voxel of the lesion erased by hand after
    session.apply("erase", at_ras=at_ras, radius_mm=1, mode="2d", segment=value)
    assert (session.labels.array == value).sum() < adjudicated.sum()
    qtbot.waitUntil(lambda: from_cell(window)[0] == "adjudicated + drawn", timeout=5000)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the erasure
    qtbot.waitUntil(lambda: from_cell(window)[0] == "adjudicated", timeout=5000)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the Apply
    qtbot.waitUntil(lambda: from_cell(window)[0] == "tiny@1.0", timeout=5000)
    assert np.array_equal(session.labels.array == value, proposed.astype(bool))
    # the model's lesion is no adjudicated version: Save SEG, Send and Add are greyed out
    buttons = (dialog.save_button, dialog.training_button)
    assert not any(b.isEnabled() for b in buttons) and window.editor.case.adjudication is None
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)   # the Apply again
    assert all(b.isEnabled() for b in buttons) and np.array_equal(session.labels.array == value, adjudicated)
