"""View > Smooth image: the maximised slice shows the image interpolated linearly (on by default),
or the voxels' blocks when switched off; labels stay crisp either way. Pixels on screen against
scipy's map_coordinates / nearest voxel at each pixel's RAS point."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, grab, open_image, write_image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from scipy import ndimage

from neuroview.render.slices import window_to_gray

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def menu_click(qtbot, window, menu_title, action) -> None:
    """Open ``menu_title`` in the menu bar and click ``action`` with the mouse."""
    bar = window.menuBar()
    menu_action = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(menu_action).center())
    menu = menu_action.menu()
    qtbot.waitUntil(menu.isVisible, timeout=10000)
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible(), timeout=10000)


def pixel_ijk(geom, ras_to_ijk):
    y, x = np.mgrid[0: geom.height, 0: geom.width]
    ras = geom.origin_ras + x[..., None] * geom.col_ras + y[..., None] * geom.row_ras
    return np.moveaxis(ras @ ras_to_ijk[:3, :3].T + ras_to_ijk[:3, 3], -1, 0)


def test_smooth_image_toggle_in_the_view_menu(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    qtbot.mouseDClick(axial, Qt.LeftButton, pos=QPoint(80, 80))       # maximise: blocky if nearest
    state = window.controller.state
    window.controller.set_crosshair(INSIDE_CASE_RAS)               # on a voxel slice (odd mm)
    state.zoom_by("axial", 1.5)
    window.controller.changed.emit()
    qtbot.wait(50)
    geom = state.geometry("axial", axial.width(), axial.height())
    coords = pixel_ijk(geom, volume.ras_to_ijk)
    linear = window_to_gray(ndimage.map_coordinates(volume.array.astype(np.float64), coords, order=1,
                                                    mode="nearest"), state.window, state.level)
    nearest = window_to_gray(volume.array[tuple(np.clip(np.rint(coords), 0, 47).astype(int))],
                             state.window, state.level)
    # away from the crosshair, letters and caption; no rounding ties
    h, w = geom.height, geom.width
    region = np.zeros((h, w), bool)
    region[30: h - 30, 30: w - 30] = True
    cx, cy = geom.ras_to_pixel(state.crosshair_ras)
    region[int(cy) - 10: int(cy) + 10, :] = False
    region[:, int(cx) - 10: int(cx) + 10] = False
    region &= np.all(np.abs(coords - np.floor(coords) - 0.5) > 0.02, axis=0)
    assert region.sum() > 1000 and np.abs(linear[region].astype(int) - nearest[region]).max() > 5
    assert window.interpolate_action.isChecked()                      # on by default
    shown = grab(axial)[..., 0]
    assert np.abs(shown[region].astype(int) - linear[region]).max() <= 1
    menu_click(qtbot, window, "View", window.interpolate_action)
    assert not window.interpolate_action.isChecked()
    shown = grab(axial)[..., 0]
    assert np.array_equal(shown[region], nearest[region])
    menu_click(qtbot, window, "View", window.interpolate_action)
    assert np.abs(grab(axial)[..., 0][region].astype(int) - linear[region]).max() <= 1
