"""A ruler selected in one view takes the handles off the ruler selected before in another view
at once: that view repainted only at its next redraw (a slice step, a zoom), showing two
selected rulers meanwhile. Ruler and angle changes are no view-state change: the 3D view and the
Display panel no longer follow them."""

from __future__ import annotations

import numpy as np
from measure_drawing import CYAN, coloured, drag, open_image
from PySide6.QtCore import QPoint, Qt


def cyan_on_screen(view) -> int:
    """Ruler pixels the screen shows of ``view`` now (``grab`` would repaint it first)."""
    top = view.window()
    corner = view.mapTo(top, QPoint(0, 0))
    image = top.screen().grabWindow(top.winId(), corner.x(), corner.y(), view.width(),
                                    view.height()).toImage()
    image = image.convertToFormat(image.Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return int(coloured(data[:, : 3 * w].reshape(h, w, 3), CYAN, 20).sum())


def test_selecting_a_ruler_in_one_view_unselects_the_other_views_at_once(qtbot, window, tmp_path):
    open_image(qtbot, window, tmp_path)
    c = window.controller
    axial, sagittal = window.slice_views["axial"], window.slice_views["sagittal"]
    qtbot.waitUntil(lambda: axial.last is not None and sagittal.last is not None, timeout=10000)
    window.mode_actions["ruler"].trigger()
    drag(qtbot, sagittal, (40, 60), (160, 60))
    assert c.selected_ruler is c.rulers[0]
    qtbot.mouseMove(axial, QPoint(30, 30))     # the pointer leaves (the view repaints then)
    qtbot.waitUntil(lambda: cyan_on_screen(sagittal) > 0, timeout=5000)
    qtbot.wait(200)
    selected = cyan_on_screen(sagittal)     # the line thicker, a handle on each end
    drag(qtbot, axial, (60, 100), (200, 100))
    assert c.selected_ruler is c.rulers[1]
    qtbot.waitUntil(lambda: 0 < cyan_on_screen(sagittal) < selected, timeout=5000)


def test_ruler_and_angle_changes_leave_the_view_state_alone(qtbot, window, tmp_path):
    """Each move of a ruler's end emitted ``changed``: the Display panel synced and, with the
    slice planes shown in 3D, the 3D view rendered a frame, for nothing either shows."""
    open_image(qtbot, window, tmp_path)
    c, axial = window.controller, window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    changes = []
    c.changed.connect(lambda: changes.append(1))
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (60, 100), (200, 100))
    drag(qtbot, axial, (201, 101), (220, 150))            # its end moved
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(250, 300))   # unselected
    qtbot.keyClick(axial, Qt.Key_Delete)
    window.mode_actions["angle"].trigger()
    for x, y in ((60, 250), (160, 250), (260, 150)):
        qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(x, y))
    qtbot.keyClick(axial, Qt.Key_Delete)
    assert c.rulers == [] and c.angles == []
    assert changes == []
