"""A lesion list of two and clicks on its rows: helpers that test_lesions_panel.py and the tests
building on it share (test modules import helpers from a helper module, never from another test
module)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from neuroview.core.volume import Volume


def _two_lesions(session):
    """A big lesion (5x5x4 voxels) and a small one (2x2x2) in segment 'lesion'; returns the masks."""
    segment = session.segments.add("lesion")
    big = np.zeros(session.volume.shape, bool)
    big[10:15, 12:17, 20:24] = True
    small = np.zeros(session.volume.shape, bool)
    small[33:35, 30:32, 8:10] = True
    array = np.zeros(session.volume.shape, np.uint8)
    array[big | small] = segment.value
    session.load_label_volume(Volume(array, session.volume.ijk_to_ras))
    session.segments.select(segment)
    return segment, big, small


def list_of_two(qtbot, window, tmp_path, **image):
    """The test image opened with two lesions painted in its active segment, the Lesions list
    raised and filled: (volume, session, segment, big, small, panel)."""
    path, volume = write_image(tmp_path, **image)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    segment, big, small = _two_lesions(session)
    panel = window.lesions
    window.findChild(QDockWidget, "Lesions").raise_()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=20000)   # a first count imports cc3d
    return volume, session, segment, big, small, panel


def _click_row(qtbot, table, row):
    rect = table.visualItemRect(table.item(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
