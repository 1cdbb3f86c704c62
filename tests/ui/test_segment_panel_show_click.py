"""The Segments panel's Show boxes: a click anywhere in the cell toggles the box, once, as in the
Segment editor's list (``ui.check_delegate``) and Slicer's eye; Space toggles it too. Until
session 39 only the small box at the left of the cell took the click: a click in the middle of
the cell, where a user aims, did nothing. The user's check: the segment's voxels leave the axial
view and come back."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab, open_image, raise_tab, wait_for_session
from key_presses import type_key
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from render_cases import AFFINES, make_case

from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _click_middle(table, row) -> None:
    rect = table.visualItemRect(table.item(row, 0))
    QTest.mouseClick(table.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())


def test_a_click_in_the_middle_of_show_toggles_it_once_and_space_too(qtbot, window, tmp_path):
    volume, labels = make_case(AFFINES["ras"])
    array = np.zeros_like(labels.array)
    array[10:38, 10:38, :] = 1                       # a big square on every axial slice
    save_nifti(volume.array, volume.ijk_to_ras, tmp_path / "case.nii.gz")
    save_nifti(array, labels.ijk_to_ras, tmp_path / "labels.nii.gz")
    open_image(qtbot, window, tmp_path / "case.nii.gz")
    wait_for_session(qtbot, window)
    window.open_labels(tmp_path / "labels.nii.gz")
    table = window.segment_panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=10000)
    raise_tab(qtbot, window, "Segments")
    qtbot.waitUntil(table.isVisible, timeout=10000)
    rect = table.visualItemRect(table.item(0, 0))
    box = table.style().pixelMetric(table.style().PixelMetric.PM_IndicatorWidth)
    assert rect.center().x() - rect.left() > box, "the click must land off a box at the left"
    axial = window.slice_views["axial"]
    with_labels = grab(axial).astype(int)

    _click_middle(table, 0)
    assert table.item(0, 0).checkState() == Qt.Unchecked      # one click, one toggle
    qtbot.waitUntil(lambda: np.abs(grab(axial).astype(int) - with_labels).max() > 40, timeout=5000)
    _click_middle(table, 0)
    assert table.item(0, 0).checkState() == Qt.Checked
    qtbot.waitUntil(lambda: np.array_equal(grab(axial).astype(int), with_labels), timeout=5000)

    table.setFocus()
    table.setCurrentCell(0, 0)
    type_key(window, Qt.Key_Space)                              # the keyboard: once a press
    assert table.item(0, 0).checkState() == Qt.Unchecked
    type_key(window, Qt.Key_Space)
    assert table.item(0, 0).checkState() == Qt.Checked
