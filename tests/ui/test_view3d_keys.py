"""R with the pointer over the 3D view resets its camera, as VTK's and Slicer's 3D views do. The 3D
view never took the keys: R went to the slice view clicked last, reset its zoom (out of sight of
the user, who looked at the 3D view) and left the camera turned. The arrows turn the camera (since
session 39); other keys still go on to that slice view (PgUp/PgDn scroll it, Enter accepts a
preview)."""

from __future__ import annotations

import numpy as np
import pytest
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
    press(qtbot, window, Qt.Key_PageUp)       # other keys: the slice view clicked last
    assert state.slice_position_mm("axial") > before


def _looks_along(view3d) -> np.ndarray:
    return np.array(view3d.scene.renderer.GetActiveCamera().GetDirectionOfProjection())


def _degrees(a, b) -> float:
    return float(np.degrees(np.arccos(np.clip(np.dot(a, b), -1.0, 1.0))))


def test_arrows_over_the_3d_view_turn_it_as_a_drag_does_and_pgup_steps_the_slice(qtbot, window,
                                                                                 tmp_path):
    """Slicer's habit: the arrows over the 3D view turn its camera, 15 degrees a press; they
    stepped the slice view clicked last until session 39, out of sight. PgUp/PgDn still step it."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    view3d, axial, state = window.view3d, window.slice_views["axial"], window.controller.state
    qtbot.waitUntil(lambda: view3d.rgb is not None, timeout=20000)
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    qtbot.mouseClick(view3d, Qt.LeftButton, pos=QPoint(100, 100))   # the keys to the 3D view
    start, picture, depth = _looks_along(view3d), view3d.rgb.copy(), state.slice_position_mm("axial")
    press(qtbot, window, Qt.Key_Right)
    press(qtbot, window, Qt.Key_Right)
    qtbot.waitUntil(lambda: np.abs(view3d.rgb.astype(int) - picture).mean() > 1, timeout=20000)
    assert _degrees(start, _looks_along(view3d)) == pytest.approx(30.0, abs=1e-6)
    assert state.slice_position_mm("axial") == depth, "an arrow over the 3D view stepped a slice"
    two_presses = _looks_along(view3d)
    press(qtbot, window, Qt.Key_R)
    qtbot.mousePress(view3d, Qt.LeftButton, pos=QPoint(100, 100))   # a 75-pixel drag right
    qtbot.mouseMove(view3d, QPoint(175, 100))
    qtbot.mouseRelease(view3d, Qt.LeftButton, pos=QPoint(175, 100))
    assert _looks_along(view3d) == pytest.approx(two_presses, abs=1e-9)   # 0.4 degree a pixel
    press(qtbot, window, Qt.Key_R)
    for _ in range(6):                        # six Ups: a right angle, now seen from below
        press(qtbot, window, Qt.Key_Up)
    assert _looks_along(view3d) == pytest.approx([0.0, 0.0, 1.0], abs=1e-9)
    press(qtbot, window, Qt.Key_Left, Qt.ControlModifier)   # with a modifier: not a turn
    assert _looks_along(view3d) == pytest.approx([0.0, 0.0, 1.0], abs=1e-9)
    press(qtbot, window, Qt.Key_PageUp)
    assert state.slice_position_mm("axial") == pytest.approx(depth + state.slice_step_mm("axial"))
