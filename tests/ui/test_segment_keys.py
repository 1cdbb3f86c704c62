"""Q and W pick the previous and next segment from anywhere in the window, as the keys of 3D
Slicer's Segment Editor do, so an annotator's hand stays on the keys between segments; the status
line names the segment picked. Until session 31 it took F6 to the Segment editor panel (five
presses), Up/Down in its list and F6 back to the views."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt


def test_q_and_w_step_the_segment_the_brush_paints(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    for _ in range(3):
        window.edit_actions.panel.add_segment()
    values = [s.value for s in session.segments]
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, pos=QPoint(60, 60))
    window.edit_actions.panel.table.selectRow(0)
    assert session.active_segment == values[0]
    type_key(window, Qt.Key_W)
    assert session.active_segment == values[1]
    assert window.statusBar().currentMessage().startswith("Segment 2 of 3: 'Segment 2'")
    type_key(window, Qt.Key_W)
    type_key(window, Qt.Key_W)                                   # the last one stays
    assert session.active_segment == values[2]
    type_key(window, Qt.Key_Q)
    assert session.active_segment == values[1]
    type_key(window, Qt.Key_P)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    stroke(window, "axial", [INSIDE_CASE_RAS])
    painted = np.unique(session.labels.array)
    assert list(painted) == [0, values[1]]                       # the brush painted segment 2
