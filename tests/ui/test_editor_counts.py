"""The segment list shows each segment's voxels and volume right after a stroke, from counts that
follow the edits (no whole-volume recount on the GUI thread)."""

from __future__ import annotations

import numpy as np
from editor_helpers import (
    INSIDE_CASE_RAS,
    open_image,
    path_2d,
    shortcut,
    stroke,
    wait_for_session,
    write_image,
)
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

Q = INSIDE_CASE_RAS + np.array([-14.0, 4.0, 0.0])


def _row(window):
    table = window.segment_panel.table
    return int(table.item(0, 3).text()), float(table.item(0, 4).text())


def test_segment_panel_volume_after_a_stroke_and_undo(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5.0, mode="2d")
    landed = stroke(window, "axial", [INSIDE_CASE_RAS, Q])          # the voxels under the pointer
    expected = path_2d(volume, landed, 5.0)            # independent reference from voxel centres
    voxel_mm3 = abs(np.linalg.det(volume.ijk_to_ras[:3, :3]))
    assert expected.sum() > 30 and np.isclose(voxel_mm3, 8.0)
    table = window.segment_panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 3).text() == str(expected.sum()),
                    timeout=5000)
    voxels, ml = _row(window)
    assert np.isclose(ml * 1000.0, expected.sum() * voxel_mm3, atol=0.5)   # mL shown = mm³ / 1000
    recounts = session.counts.full_recounts
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)                   # undo the stroke
    qtbot.waitUntil(lambda: table.rowCount() == 0 or table.item(0, 3).text() == "0", timeout=5000)
    stroke(window, "axial", [INSIDE_CASE_RAS, Q])
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 3).text() == str(expected.sum()),
                    timeout=5000)
    assert session.counts.full_recounts == recounts     # the panel followed the diffs only
