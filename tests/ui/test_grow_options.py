"""Grow from seeds: changing *Padding* with a preview on screen. The preview stayed the old one
and *Apply* wrote it while the box showed the new padding; now the preview is computed again with
the options shown (as Slicer's Grow from seeds updates its preview), and Apply writes that."""

from __future__ import annotations

import numpy as np
from editor_helpers import click_preview, open_case
from PySide6.QtCore import Qt


def test_a_padding_changed_over_a_preview_is_what_apply_writes(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    inside, outside = session.segments.add("ball"), session.segments.add("outside")
    session.apply("paint", at_ras=(0, 0, 0), radius_mm=4, mode="3d", segment=inside)
    session.apply("paint", at_ras=(0, 0, 40), radius_mm=4, mode="3d", segment=outside)
    before = session.labels.array.copy()
    panel = window.edit_actions.panel
    panel.select_tool("grow")
    padding = panel.option_widgets["grow"]["padding_mm"]
    padding.setValue(2.0)
    click_preview(qtbot, window)
    small = window.controller.preview_labels.array.copy()
    padding.lineEdit().selectAll()                     # the user types a larger padding
    qtbot.keyClicks(padding.lineEdit(), "30")
    qtbot.keyClick(padding.lineEdit(), Qt.Key_Return)
    assert session.params["grow"].padding_mm == 30.0
    qtbot.waitUntil(lambda: window.controller.preview_labels is not None
                    and not window.editor.computing_preview, timeout=30000)
    shown = window.controller.preview_labels.array.copy()
    assert (shown != 0).sum() > (small != 0).sum()     # the preview on screen follows the box
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    assert np.array_equal(session.labels.array, shown)
    session.undo()
    assert np.array_equal(session.labels.array, before)
    expected = session.preview("grow", padding_mm=30.0).full_array(before)
    assert np.array_equal(shown, expected)
