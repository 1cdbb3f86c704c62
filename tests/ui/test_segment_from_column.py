"""The segment editor's *From* column: a new segment says nothing until a stroke puts voxels in it
(it read ``drawn`` before anything was drawn), and a segment loaded from a file names the file
(``file NAME``, ``file NAME + drawn`` after a brush stroke; it read ``drawn``)."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image
from PySide6.QtCore import Qt

from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_new_segment_says_drawn_only_after_a_stroke(qtbot, window, tmp_path):
    path, _volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    assert panel.table.item(0, 4).text() == ""
    panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="2d")
    stroke(window, "axial", [np.asarray(INSIDE_CASE_RAS, float)])
    assert session.voxel_counts()[session.segments.get(1).name] > 0
    qtbot.waitUntil(lambda: panel.table.item(0, 4).text() == "drawn", timeout=5000)


def test_a_loaded_segment_names_its_file_until_drawn_in(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    mask = np.zeros(volume.shape, np.uint8)
    mask[2:6, 2:6, 2:6] = 1
    save_nifti(mask, volume.ijk_to_ras, tmp_path / "from_colleague.nii.gz")
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.open_labels(tmp_path / "from_colleague.nii.gz")
    table = window.edit_actions.panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=10000)
    qtbot.waitUntil(lambda: table.item(0, 4).text() == "file from_colleague.nii.gz", timeout=5000)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="2d")
    stroke(window, "axial", [np.asarray(INSIDE_CASE_RAS, float)])
    qtbot.waitUntil(lambda: table.item(0, 4).text() == "file from_colleague.nii.gz + drawn",
                    timeout=5000)


def test_a_256th_segment_says_nothing_until_drawn_in(qtbot, window, tmp_path):
    """A label above 255 widens the map to uint16, which threw the voxel counts away: the new
    segment read ``drawn`` until session 28 (the counts now follow the widening)."""
    path, _volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    panel = window.edit_actions.panel
    session.segments.add("big", value=300)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    qtbot.wait(50)                      # the list is refreshed again once the add has returned
    assert session.labels.array.dtype == np.uint16
    assert (panel.table.item(0, 3).text(), panel.table.item(0, 4).text()) == ("big", "")
    panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="2d")
    stroke(window, "axial", [np.asarray(INSIDE_CASE_RAS, float)])
    qtbot.waitUntil(lambda: panel.table.item(0, 4).text() == "drawn", timeout=5000)
