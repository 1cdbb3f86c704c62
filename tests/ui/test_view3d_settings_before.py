"""*Volume opacity* and *Slice planes in 3D* set in the Display panel before any image is open
hold for the first image's 3D view, as *Volume rendering* does (``View3DWidget.volume_wanted``):
the first scene was built with full opacity and no planes whatever the panel said."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab, open_image, write_image
from PySide6.QtCore import QPoint, Qt


def ready(qtbot, window) -> None:
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d._scene_volume is window.controller.volume and view3d.rgb is not None
                    and not view3d.surfaces_pending, timeout=30000)
    qtbot.wait(200)


def centre_contrast(view3d) -> float:
    """How far the centre of the 3D view's frame is from its background (a corner)."""
    rgb = grab(view3d).astype(int)
    h, w = rgb.shape[:2]
    centre = rgb[h // 2 - 10: h // 2 + 10, w // 2 - 10: w // 2 + 10]
    return float(np.abs(centre - rgb[5, w // 2]).sum(axis=2).mean())


def test_volume_opacity_set_before_any_image_holds(qtbot, window, tmp_path):
    panel, view3d = window.display_panel, window.view3d
    assert view3d.scene is None
    panel.opacity3d_slider.setFocus()
    qtbot.keyClick(panel.opacity3d_slider, Qt.Key_Home)       # 0 %, no image open yet
    assert panel.opacity3d_slider.value() == 0
    open_image(qtbot, window, write_image(tmp_path)[0])
    ready(qtbot, window)
    assert view3d.scene.volume_opacity == 0.0
    assert panel.volume3d_check.isChecked() and view3d.scene.show_volume   # on, but see-through
    assert centre_contrast(view3d) < 10, "the head was drawn at full opacity"
    qtbot.keyClick(panel.opacity3d_slider, Qt.Key_End)        # 100 %: the head shows
    qtbot.waitUntil(lambda: centre_contrast(view3d) > 60, timeout=20000)


def test_slice_planes_ticked_before_any_image_hold(qtbot, window, tmp_path):
    panel, view3d = window.display_panel, window.view3d
    box = panel.planes3d_check
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked() and view3d.scene is None
    open_image(qtbot, window, write_image(tmp_path)[0])
    ready(qtbot, window)
    scene = view3d.scene
    assert box.isChecked() and scene.show_planes
    assert [plane.GetVisibility() for plane in scene.planes] == [1, 1, 1]
    # the volume rendering steps aside for the planes, as when they are ticked later
    qtbot.waitUntil(lambda: not panel.volume3d_check.isChecked(), timeout=20000)
    assert not scene.show_volume
    first = grab(view3d).astype(int)
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))   # off, then on again
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: not view3d._timer.isActive(), timeout=20000)
    qtbot.wait(200)
    again = grab(view3d).astype(int)
    # the first frame was already the frame of planes ticked with the image open
    assert np.abs(first - again).sum(axis=2).mean() < 2
