"""Shift+click in the 3D view moves the crosshair to what is drawn under the pointer (a segment's
surface, a slice plane, the volume), as Slicer's Shift in its 3D view and ITK-SNAP's 3D crosshair
do: every slice view then shows that voxel. Until session 31 a click in the 3D view only began a
rotation, and nothing led from a surface seen in 3D to its slices. A plain click still rotates
and leaves the crosshair; a Shift+click on the background says so and leaves it too."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import paint_a_ball, write_image
from PySide6.QtCore import QPoint, Qt

from neuroview.core.geometry import nearest_voxel


@pytest.mark.parametrize("affine", ["ras", "oblique"])
def test_shift_click_on_a_surface_moves_the_crosshair_into_it(qtbot, window, tmp_path, affine):
    path, _ = write_image(tmp_path, affine_name=affine)
    session = paint_a_ball(qtbot, window, path)
    view3d, c = window.view3d, window.controller
    away = session.volume.center_ras + np.array([20.0, 20.0, 20.0])
    c.set_crosshair(away)
    qtbot.waitUntil(lambda: view3d.scene is not None and view3d.scene.surfaces is not None
                    and not view3d.surfaces_pending and view3d.rgb is not None, timeout=30000)
    view3d.reset_camera()   # from the front, the image (and the ball at its centre) in the middle
    middle = QPoint(view3d.width() // 2, view3d.height() // 2)
    qtbot.mouseClick(view3d, Qt.LeftButton, pos=middle)                     # a plain click
    assert np.allclose(c.state.crosshair_ras, away)
    qtbot.mouseClick(view3d, Qt.LeftButton, Qt.ShiftModifier, pos=middle)
    p_ras = np.asarray(c.state.crosshair_ras)
    ijk = nearest_voxel(np.linalg.inv(session.volume.ijk_to_ras), session.labels.array.shape, p_ras)
    assert ijk is not None and session.labels.array[ijk] == 1, "the crosshair is not on the ball"
    assert p_ras[1] > session.volume.center_ras[1]   # the ball's front (seen from anterior)
    assert np.allclose(p_ras, c.voxel_centre(p_ras))   # a voxel centre, as a click in a slice
    corner = QPoint(view3d.width() - 8, 20)                                 # the background
    qtbot.mouseClick(view3d, Qt.LeftButton, Qt.ShiftModifier, pos=corner)
    assert np.allclose(c.state.crosshair_ras, p_ras)
    assert window.statusBar().currentMessage().startswith(
        "Shift+click in the 3D view: nothing drawn under the pointer")
