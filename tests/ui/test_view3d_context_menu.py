"""A right click on the 3D view opens its menu, as Slicer's 3D view offers one (a right click
there did nothing until session 41): this view alone, reset camera, look from the six sides,
volume rendering, segment surfaces and slice planes on or off, export. A right drag still zooms."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_case, right_drag_up, stroke
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def _texts(menu):
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def _action(menu, text):
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def _settled(qtbot, view3d) -> None:
    qtbot.waitUntil(lambda: view3d.shows_open_image and view3d.rgb is not None
                    and not view3d.surfaces_pending, timeout=30000)


def _open_menu(qtbot, window, view3d):
    old = getattr(window, "view_menu", None)
    QTest.mouseClick(view3d, Qt.RightButton, Qt.NoModifier, QPoint(view3d.width() // 2, view3d.height() // 2))
    qtbot.waitUntil(lambda: window.view_menu is not old and window.view_menu.isVisible(), timeout=10000)
    return window.view_menu


def _direction(view3d):
    return np.round(view3d.scene.view_direction(), 6)


def test_right_click_opens_the_3d_menu_and_a_right_drag_zooms(qtbot, window, tmp_path):
    _, session = open_case(qtbot, window, tmp_path)
    view3d = window.view3d
    _settled(qtbot, view3d)
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=6, mode="3d")   # a ball: a surface with depth
    stroke(window, "axial", [INSIDE_CASE_RAS])
    qtbot.waitUntil(lambda: view3d.scene.surfaces is not None, timeout=30000)
    _settled(qtbot, view3d)

    menu = _open_menu(qtbot, window, view3d)
    assert _texts(menu) == ["This view alone (double-click)", "Reset camera (R)", "Look from",
                            "Volume rendering", "Segment surfaces", "Slice planes in 3D",
                            "Export view as PNG..."]
    assert window.controller.active_view == "3d"   # Export view... takes the 3D view
    assert not _action(menu, "Volume rendering").isChecked()   # stepped aside for the surface
    assert _action(menu, "Segment surfaces").isChecked()
    sides = _action(menu, "Look from").menu()
    assert _texts(sides) == ["Anterior", "Posterior", "Left", "Right", "Superior", "Inferior"]
    assert list(_direction(view3d)) == [0, -1, 0]   # from the front
    _action(sides, "Superior").trigger()
    _settled(qtbot, view3d)
    assert list(_direction(view3d)) == [0, 0, -1]   # looking down from above
    _action(sides, "Left").trigger()
    _settled(qtbot, view3d)
    assert list(_direction(view3d)) == [1, 0, 0]
    _action(menu, "Reset camera (R)").trigger()
    _settled(qtbot, view3d)
    assert list(_direction(view3d)) == [0, -1, 0]
    drawn = view3d.rgb.copy()

    # segment surfaces off: none drawn, and the volume rendering (left automatic) is back
    _action(menu, "Segment surfaces").trigger()
    qtbot.waitUntil(lambda: view3d.scene.surfaces is None, timeout=30000)
    _settled(qtbot, view3d)
    assert view3d.scene.show_volume and window.display_panel.volume3d_check.isChecked()
    assert not np.array_equal(view3d.rgb, drawn)
    menu.close()

    menu = _open_menu(qtbot, window, view3d)
    assert not _action(menu, "Segment surfaces").isChecked()
    _action(menu, "Volume rendering").trigger()   # as a click on the Display panel's box
    assert not window.display_panel.volume3d_check.isChecked() and not view3d.scene.show_volume
    _action(menu, "Slice planes in 3D").trigger()
    assert window.display_panel.planes3d_check.isChecked() and view3d.scene.show_planes
    _action(menu, "This view alone (double-click)").trigger()
    qtbot.waitUntil(lambda: not window.slice_views["axial"].isVisible(), timeout=10000)
    menu.close()
    assert _texts(_open_menu(qtbot, window, view3d))[0] == "Back to the layout (double-click)"
    window.view_menu.close()
    shown = window.view_menu

    # a right drag zooms the camera, as before, and opens no menu
    _settled(qtbot, view3d)
    angle = view3d.scene.renderer.GetActiveCamera().GetViewAngle()
    centre = QPoint(view3d.width() // 2, view3d.height() // 2)
    right_drag_up(qtbot, view3d, centre)
    assert window.view_menu is shown and not shown.isVisible()
    assert view3d.scene.renderer.GetActiveCamera().GetViewAngle() != angle
