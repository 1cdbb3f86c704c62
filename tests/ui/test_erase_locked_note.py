"""An erase stroke over a locked segment says it is locked: with the locked segment selected (Erase
on "the selected segment"), the status line said "Erase removes only 'lesion' (selected); 'lesion'
is under the brush. Select it, or press Shift+E", advice that erased nothing either (session 32's
walk of the segment editor)."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, shortcut, stroke, wait_for_session, write_image
from PySide6.QtCore import Qt


def _locked_lesion(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    lesion = session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5, mode="2d")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    painted = session.labels.array == lesion.value
    assert painted.sum() > 20
    session.segments.lock(lesion.value)
    return session, lesion, painted


def test_erasing_the_selected_locked_segment_says_it_is_locked(qtbot, window, tmp_path):
    session, lesion, painted = _locked_lesion(qtbot, window, tmp_path)
    assert session.active_segment == lesion.value
    shortcut(qtbot, window, Qt.Key_E)
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    assert np.array_equal(session.labels.array == lesion.value, painted)       # nothing erased
    assert window.statusBar().currentMessage() == \
        "Nothing erased: 'lesion' under the brush is locked; unlock it in Segments."


def test_a_locked_segment_under_another_selected_one_says_locked_too(qtbot, window, tmp_path):
    session, lesion, painted = _locked_lesion(qtbot, window, tmp_path)
    session.segments.add("edema")                                                # selected, empty
    shortcut(qtbot, window, Qt.Key_E)
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    assert np.array_equal(session.labels.array == lesion.value, painted)
    text = window.statusBar().currentMessage()
    assert text == "Nothing erased: 'lesion' under the brush is locked; unlock it in Segments.", text
