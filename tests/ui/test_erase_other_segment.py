"""Erase over another segment is not silent: the status bar says why nothing changed and how to
erase it (select that segment, or Shift+E: every unlocked segment), like Slicer's erase option."""

from __future__ import annotations

import numpy as np
from editor_helpers import PAINTED_LINE, erase_painted_line, painted_voxels, segment_painted, shortcut, stroke
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_erasing_over_another_segment_says_why_and_shift_e_erases_it(qtbot, window, tmp_path):
    session, edema = segment_painted(qtbot, window, tmp_path)
    painted = painted_voxels(session, edema)
    lesion = session.segments.add("lesion")          # now the selected segment, still empty
    assert session.active_segment == lesion.value
    status = window.statusBar()

    erase_painted_line(qtbot, window)                # the erase brush, on "the selected segment"
    assert np.array_equal(session.labels.array == edema.value, painted)   # nothing erased
    text = status.currentMessage()
    assert "Nothing erased" in text and "'lesion'" in text and "'edema'" in text, text
    assert "Shift+E" in text

    shortcut(qtbot, window, Qt.Key_E, Qt.ShiftModifier)   # erase every unlocked segment
    assert session.params["erase"].segment == "all"
    combo = window.edit_actions.panel.option_widgets["erase"]["segment"]
    assert combo.currentText().startswith("every unlocked segment")
    assert "every unlocked segment" in status.currentMessage()
    stroke(window, "axial", PAINTED_LINE)
    left = (session.labels.array == edema.value) & painted
    assert left.sum() < painted.sum() // 4, (left.sum(), painted.sum())   # the stroke erased it
    assert "Nothing erased" not in status.currentMessage()

    shortcut(qtbot, window, Qt.Key_E, Qt.ShiftModifier)   # back to the selected segment only
    assert session.params["erase"].segment is None
    assert combo.currentText() == "the selected segment"
