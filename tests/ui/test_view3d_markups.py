"""The 3D view shows the image's rulers, angles and ellipses, as Slicer's shows its markups: drawn in any
slice view, moved, deleted, the 3D view follows. It showed none."""

from __future__ import annotations

import numpy as np
from angle_clicks import clicks, open_case
from angle_pixels import GREEN
from editor_helpers import shortcut
from measure_drawing import CYAN, coloured, drag
from PySide6.QtCore import QPoint, Qt

from neuroview.render.orientation_marker import MARKER_FRACTION

ORANGE = np.array([255, 140, 0])   # an ellipse


def shown(view3d, colour) -> np.ndarray:
    """Pixels of ``colour`` in the 3D view's frame, but for the orientation marker's corner
    (its A and P faces are light green)."""
    rgb = view3d.rgb
    if rgb is None:
        return np.zeros((1, 1), bool)
    found = coloured(rgb, colour, 30)
    h, w = found.shape
    found[h - int(h * MARKER_FRACTION) - 2:, : int(w * MARKER_FRACTION) + 2] = False
    return found


def test_rulers_and_angles_are_drawn_in_the_3d_view_and_follow_their_changes(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path, "oblique")
    c, axial, coronal = window.controller, window.slice_views["axial"], window.slice_views["coronal"]
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d._scene_volume is c.volume and view3d.rgb is not None, timeout=20000)
    assert not shown(view3d, CYAN).any() and not shown(view3d, GREEN).any()
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (80, 150), (220, 150))
    qtbot.waitUntil(lambda: shown(view3d, CYAN).sum() > 30, timeout=10000)
    before = shown(view3d, CYAN).copy()
    drag(qtbot, axial, (221, 151), (160, 60))                 # its end moved: so is the line
    qtbot.waitUntil(lambda: not np.array_equal(shown(view3d, CYAN), before), timeout=10000)
    window.mode_actions["angle"].trigger()
    clicks(qtbot, coronal, ((60, 200), (140, 200), (140, 120)))   # in another view
    qtbot.waitUntil(lambda: shown(view3d, GREEN).sum() > 30, timeout=10000)
    qtbot.keyClick(coronal, Qt.Key_Delete)
    qtbot.waitUntil(lambda: not shown(view3d, GREEN).any(), timeout=10000)
    qtbot.mouseMove(axial, QPoint(30, 300))
    qtbot.keyClick(axial, Qt.Key_Delete)                      # (Angle mode: angles only)
    assert len(c.rulers) == 1
    window.mode_actions["ruler"].trigger()
    qtbot.keyClick(axial, Qt.Key_Delete)
    assert c.rulers == []
    qtbot.waitUntil(lambda: not shown(view3d, CYAN).any(), timeout=10000)


def test_an_ellipse_is_drawn_in_the_3d_view_until_ctrl_z_takes_it_back(qtbot, window, tmp_path):
    """Ellipses (F7) are shown in 3D as the rulers are (none were until session 48)."""
    open_case(qtbot, window, tmp_path, "ras")
    c, axial, view3d = window.controller, window.slice_views["axial"], window.view3d
    qtbot.waitUntil(lambda: view3d._scene_volume is c.volume and view3d.rgb is not None, timeout=20000)
    assert not shown(view3d, ORANGE).any()
    window.mode_actions["ellipse"].trigger()
    drag(qtbot, axial, (80, 100), (220, 190))
    assert len(c.ellipses) == 1
    qtbot.waitUntil(lambda: shown(view3d, ORANGE).sum() > 30, timeout=10000)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert c.ellipses == []
    qtbot.waitUntil(lambda: not shown(view3d, ORANGE).any(), timeout=10000)
