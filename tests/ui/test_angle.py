"""Tools > Angle (F5): a drag (or a click) for the first arm to the vertex, then a click for the
second arm's end; the angle is drawn at the vertex and listed in Measurements. There was no angle
measurement."""

from __future__ import annotations

import numpy as np
from angle_pixels import GREEN, last_line
from measure_drawing import coloured, drag, open_image
from PySide6.QtCore import QPoint, Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def green_pixels(widget) -> int:
    image = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return int(coloured(data[:, : 3 * w].reshape(h, w, 3), GREEN, 20).sum())


def test_angle_by_drag_and_click_and_by_three_clicks(qtbot, window, tmp_path):
    open_image(qtbot, window, tmp_path)
    c, axial = window.controller, window.slice_views["axial"]
    window.mode_actions["angle"].trigger()
    assert c.mode == "angle"
    drag(qtbot, axial, (60, 200), (160, 200))          # first arm, to the vertex
    assert c.angles == []
    qtbot.mouseMove(axial, QPoint(160, 120))
    qtbot.waitUntil(lambda: green_pixels(axial) > 0, timeout=5000)   # the arm being drawn shows
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(160, 100))
    assert len(c.angles) == 1 and np.isclose(c.angles[0].degrees, 90.0)
    assert last_line(window) == "Angle (axial): 90.0°"
    for x, y in ((60, 250), (160, 250), (260, 150)):   # three clicks
        qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(x, y))
    assert len(c.angles) == 2 and np.isclose(c.angles[1].degrees, 135.0)
    qtbot.mouseMove(axial, QPoint(30, 30))
    shown = green_pixels(axial)
    assert shown > 0
    qtbot.keyClick(axial, Qt.Key_Delete)               # the newest angle on the slice
    assert len(c.angles) == 1 and np.isclose(c.angles[0].degrees, 90.0)
    assert last_line(window) == "Angle (axial): 135.0° deleted"
    qtbot.waitUntil(lambda: 0 < green_pixels(axial) < shown, timeout=5000)
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 300))
    qtbot.keyClick(axial, Qt.Key_Escape)               # drops the angle in progress
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(100, 300))
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(100, 250))
    assert len(c.angles) == 1


def test_angle_is_in_the_tools_menu_with_its_key(window):
    from neuroview.ui.help_menu import shortcut_rows

    assert ("Tools", "Angle", "F5") in shortcut_rows(window.menuBar())
