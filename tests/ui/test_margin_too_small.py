"""Margin and Smoothing say why they change nothing when their millimetres reach no neighbouring
voxel: on a 2 mm image the default 1 mm margin (and a 3 mm smoothing kernel) did nothing on
*Apply*, with no word of why."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_and_paint_segment_1
from PySide6.QtCore import Qt


def _apply(qtbot, window, tool, **params):
    panel = window.edit_actions.panel
    panel.select_tool(tool)
    window.editor.session.set_params(tool, **params)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)


def test_a_margin_below_the_voxel_size_says_so_and_a_voxel_s_worth_grows(qtbot, window, tmp_path):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)   # 2 mm voxels
    window.edit_actions.panel.table.selectRow(0)
    before = session.labels.array.copy()

    _apply(qtbot, window, "margin", margin_mm=1.0)

    assert window.message_bar.isVisible()
    assert window.message_bar.text == ("a margin of 1 mm reaches no neighbouring voxel of this image "
                                       "(2 x 2 x 2 mm voxels), so it changes nothing: choose at "
                                       "least 2 mm")
    assert np.array_equal(session.labels.array, before)

    _apply(qtbot, window, "margin", margin_mm=2.0)
    grown = session.labels.array == 1
    assert grown.sum() > (before == 1).sum() and np.all(grown[before == 1])


def test_a_smoothing_kernel_below_two_voxels_says_so(qtbot, window, tmp_path):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    window.edit_actions.panel.table.selectRow(0)
    before = session.labels.array.copy()

    _apply(qtbot, window, "smoothing", method="opening", kernel_mm=3.0)

    assert window.message_bar.text.startswith("a 3 mm kernel reaches no neighbouring voxel")
    assert window.message_bar.text.endswith("choose at least 4 mm")
    assert np.array_equal(session.labels.array, before)
