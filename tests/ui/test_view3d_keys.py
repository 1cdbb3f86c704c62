"""R with the pointer over the 3D view resets its camera, as VTK's and Slicer's 3D views do. The 3D
view never took the keys: R went to the slice view clicked last, reset its zoom (out of sight of
the user, who looked at the 3D view) and left the camera turned. Other keys still go on to that
slice view (Up/Down scroll it, Enter accepts a preview)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, write_image
from key_presses import press
from PySide6.QtCore import QPoint, Qt


def test_r_over_the_3d_view_resets_its_camera_not_a_slice_view(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    view3d, axial, state = window.view3d, window.slice_views["axial"], window.controller.state
    qtbot.waitUntil(lambda: view3d.rgb is not None, timeout=20000)
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    state.zoom_by("axial", 2.0)
    window.controller.changed.emit()
    start = view3d.rgb.copy()
    qtbot.mousePress(view3d, Qt.LeftButton, pos=QPoint(100, 100))   # turn the camera
    qtbot.mouseMove(view3d, QPoint(170, 120))
    qtbot.mouseRelease(view3d, Qt.LeftButton, pos=QPoint(170, 120))
    qtbot.waitUntil(lambda: view3d.rgb is not None and np.abs(view3d.rgb.astype(int) - start).mean() > 1,
                    timeout=20000)
    press(qtbot, window, Qt.Key_R)             # to the widget that has the keys
    assert state.views["axial"].zoom == 2.0, "R over the 3D view reset the axial view"
    qtbot.waitUntil(lambda: np.array_equal(view3d.rgb, start), timeout=20000)
    before = state.slice_position_mm("axial")
    press(qtbot, window, Qt.Key_Up)           # other keys: the slice view clicked last
    assert state.slice_position_mm("axial") > before
