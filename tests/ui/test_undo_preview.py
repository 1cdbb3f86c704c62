"""Ctrl+Z while a Grow from seeds preview is shown drops only the preview (as Esc does); the next
Ctrl+Z undoes the seed stroke."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, click_preview, open_case, shortcut, stroke
from PySide6.QtCore import Qt


def test_ctrl_z_over_a_grow_preview_drops_the_preview_only(qtbot, window, tmp_path):
    _, session = open_case(qtbot, window, tmp_path)
    inside = session.segments.add("ball")
    session.apply("paint", at_ras=(0, 0, 0), radius_mm=4, mode="3d", segment=inside)
    outside = session.segments.add("outside")
    session.apply("paint", at_ras=(0, 0, 40), radius_mm=4, mode="3d", segment=outside)
    panel = window.edit_actions.panel
    qtbot.waitUntil(lambda: panel.selected_value() == outside.value)   # the list follows the API
    panel.table.selectRow(0)                              # the user picks "ball" in the list
    assert session.active_segment == inside.value
    panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="2d")
    before_stroke = session.labels.array.copy()
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + np.array([-6.0, 2.0, 0.0])])
    after_stroke = session.labels.array.copy()
    assert (after_stroke != before_stroke).any()
    panel.select_tool("grow")
    click_preview(qtbot, window)
    assert window.editor.has_preview()

    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert not window.editor.has_preview() and window.controller.preview_labels is None
    assert np.array_equal(session.labels.array, after_stroke)   # the seed stroke is still there
    assert np.array_equal(window.controller.display_labels().array, after_stroke)

    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert np.array_equal(session.labels.array, before_stroke)  # now the stroke goes
