"""At the Segments dock's 350 pixels, a long *From* text (``file NAME + AI click``) is elided and
the segment's Name stays readable whole (until session 28 the From column took the width it
wanted and squeezed the Name column to ``…1``); the From text is whole in its tooltip."""

from __future__ import annotations

import os

import nibabel as nib
import numpy as np
from ai_click_cases import CENTRE, _answered_click, _setup
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

FILE = "colleague_reviewed_lesions_2026-11-30_final.nii.gz"


def _shown_whole(table, row: int, column: int) -> bool:
    """The cell's text fits its column (Qt elides what does not)."""
    item = table.item(row, column)
    needed = table.fontMetrics().horizontalAdvance(item.text()) + 2 * table.style().pixelMetric(
        table.style().PixelMetric.PM_FocusFrameHMargin, None, table) + 2
    return table.columnWidth(column) >= needed


def test_a_long_from_text_is_elided_and_the_name_stays_readable(qtbot, window, tmp_path):
    session, first, second = _setup(qtbot, window, tmp_path)
    nib.save(nib.Nifti1Image(second.astype(np.uint8), session.volume.ijk_to_ras), tmp_path / FILE)
    window.open_labels(tmp_path / FILE)
    table = window.edit_actions.panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 4).text() == f"file {FILE}",
                    timeout=10000)
    session.active_segment = 1
    _answered_click(qtbot, window, CENTRE)                    # AI click adds the first blob
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    qtbot.waitUntil(lambda: table.item(0, 4).text() == f"file {FILE} + AI click", timeout=10000)
    dock = window.edit_actions.dock
    window.resizeDocks([dock], [350], Qt.Horizontal)
    qtbot.wait(200)
    qtbot.waitUntil(lambda: dock.width() <= max(350, dock.minimumSizeHint().width()), timeout=5000)
    qtbot.wait(50)
    window.edit_actions.panel.grab().save(os.fspath(tmp_path / "segments_350.png"))
    assert table.item(0, 3).text() == "Segment 1"
    assert _shown_whole(table, 0, 3)                          # the name readable whole
    assert not _shown_whole(table, 0, 4)                      # the From text elided...
    assert table.columnWidth(4) >= 60                         # ...yet its start readable
    assert table.item(0, 4).toolTip() == f"file {FILE} + AI click grow-from-seeds, 1 prompt"
    viewport = table.viewport().width()
    for column in (3, 4):                                      # both in sight, no scrolling
        assert 0 <= table.visualItemRect(table.item(0, column)).right() < viewport
