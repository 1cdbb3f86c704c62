"""A double-click (or Enter) on a measurement's line in *Measurements* takes the views to it, as
Slicer's markups list jumps the slices: scrolled away from a ruler, the list named it but a
click or double-click on its line did nothing (session 39's walk)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, write_image
from PySide6.QtCore import Qt

from neuroview.app.view_measure import Angle, Ruler

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_double_click_on_a_line_goes_to_its_measurement(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    c, panel = window.controller, window.measurements
    z = c.state.crosshair_ras[2]
    c.add_ruler(Ruler("axial", np.array([10.0, -6.0, z]), np.array([30.0, -6.0, z])))
    c.scroll("axial", 6)
    c.add_angle(Angle("coronal", np.array([-20.0, c.state.crosshair_ras[1], 0.0]),
                      np.array([-10.0, c.state.crosshair_ras[1], 10.0]),
                      np.array([0.0, c.state.crosshair_ras[1], 0.0])))
    angle_y = c.state.crosshair_ras[1]
    c.scroll("axial", 5)
    c.scroll("coronal", -4)
    assert c.state.crosshair_ras[2] != z and c.state.crosshair_ras[1] != angle_y
    panel.show()
    ruler_line = panel.item(0)
    assert ruler_line.text().startswith("Ruler (axial)")
    rect = panel.visualItemRect(ruler_line)
    qtbot.mouseClick(panel.viewport(), Qt.LeftButton, pos=rect.center())   # a click selects it
    assert c.state.crosshair_ras[2] != z
    qtbot.mouseDClick(panel.viewport(), Qt.LeftButton, pos=rect.center())   # (its second press)
    assert c.state.crosshair_ras[2] == z   # the ruler's slice, on a voxel's centre
    assert np.allclose(c.voxel_centre(c.state.crosshair_ras), c.state.crosshair_ras)
    assert np.allclose(c.state.crosshair_ras[:2], c.voxel_centre([20.0, -6.0, z])[:2])
    panel.setCurrentRow(1)   # Enter on the angle's line: the coronal slice it was drawn on
    qtbot.keyClick(panel, Qt.Key_Return)
    assert abs(c.state.crosshair_ras[1] - angle_y) < 1e-6
