"""Erase over another segment is not silent: the status bar says why nothing changed and how to
erase it (select that segment, or Shift+E: every unlocked segment), like Slicer's erase option."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, segment_painted, shortcut, stroke
from PySide6.QtCore import Qt


def test_erasing_over_another_segment_says_why_and_shift_e_erases_it(qtbot, window, tmp_path):
    session, edema = segment_painted(qtbot, window, tmp_path)
    painted = session.labels.array == edema.value
    assert painted.sum() > 20
    lesion = session.segments.add("lesion")          # now the selected segment, still empty
    assert session.active_segment == lesion.value
    status = window.statusBar()

    shortcut(qtbot, window, Qt.Key_E)                # the erase brush, on "the selected segment"
    assert window.controller.mode == "erase"
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    assert np.array_equal(session.labels.array == edema.value, painted)   # nothing erased
    text = status.currentMessage()
    assert "Nothing erased" in text and "'lesion'" in text and "'edema'" in text, text
    assert "Shift+E" in text

    shortcut(qtbot, window, Qt.Key_E, Qt.ShiftModifier)   # erase every unlocked segment
    assert session.params["erase"].segment == "all"
    combo = window.edit_actions.panel.option_widgets["erase"]["segment"]
    assert combo.currentText().startswith("every unlocked segment")
    assert "every unlocked segment" in status.currentMessage()
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    left = (session.labels.array == edema.value) & painted
    assert left.sum() < painted.sum() // 4, (left.sum(), painted.sum())   # the stroke erased it
    assert "Nothing erased" not in status.currentMessage()

    shortcut(qtbot, window, Qt.Key_E, Qt.ShiftModifier)   # back to the selected segment only
    assert session.params["erase"].segment is None
    assert combo.currentText() == "the selected segment"
