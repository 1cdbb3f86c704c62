"""An angle is picked as a ruler is (Slicer's markups, PACS viewers' angle tools): in Angle mode
a press near one of its three points takes that point (a drag moves it, its degrees follow as it
moves), a click on an arm selects it (drawn thicker, with handles), Delete removes the selected
angle; in Navigate mode a point is taken too. In every slice view, on a tilted image too. An
angle could not be moved or edited once drawn: a press on it began another."""

from __future__ import annotations

import numpy as np
import pytest
from angle_clicks import clicks, open_case
from angle_pixels import GREEN, last_line
from editor_helpers import hover_shows
from measure_drawing import coloured
from PySide6.QtCore import QPoint, Qt
from ruler_pictures import picture

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def pointed_ras(view, x, y):
    """The RAS point (mm) of the centre of the screen pixel at widget ``(x, y)``."""
    c = view.window().controller
    return c.state.geometry(view.plane, view.width(), view.height()).pixel_to_ras(x + 0.5, y + 0.5)


ANGLE = ((60, 200), (140, 200), (140, 120))   # 90 degrees, the vertex in the middle


@pytest.mark.parametrize(("plane", "affine"), [("axial", "ras"), ("sagittal", "ras"),
                                               ("coronal", "ras"), ("axial", "oblique"),
                                               ("coronal", "oblique")])
def test_a_drag_moves_an_angles_point_and_its_degrees_follow(qtbot, window, tmp_path, plane, affine):
    open_case(qtbot, window, tmp_path, affine)
    c, view = window.controller, window.slice_views[plane]
    window.mode_actions["angle"].trigger()
    clicks(qtbot, view, ANGLE)
    clicks(qtbot, view, ((60, 60), (100, 60), (100, 30)))   # another, elsewhere
    first, other = c.angles
    assert np.isclose(first.degrees, 90.0)
    qtbot.mousePress(view, Qt.LeftButton, pos=QPoint(142, 198))   # near the first's vertex
    qtbot.mouseMove(view, QPoint(180, 220))
    live = c.angles[0]
    assert np.allclose(live.vertex_ras, pointed_ras(view, 180, 220), atol=1e-6), "moves as dragged"
    assert c.selected is live and live.degrees != pytest.approx(90.0)
    qtbot.mouseMove(view, QPoint(160, 200))
    qtbot.mouseRelease(view, Qt.LeftButton, pos=QPoint(160, 200))
    assert len(c.angles) == 2 and c.angles[1] is other, "no new angle; the other one unchanged"
    moved = c.angles[0]
    assert np.allclose(moved.vertex_ras, pointed_ras(view, 160, 200), atol=1e-6)
    assert np.allclose(moved.a_ras, first.a_ras) and np.allclose(moved.c_ras, first.c_ras)
    u, v = moved.a_ras - moved.vertex_ras, moved.c_ras - moved.vertex_ras   # in mm
    expected = np.degrees(np.arccos(u @ v / np.linalg.norm(u) / np.linalg.norm(v)))
    assert moved.degrees == pytest.approx(expected)
    # on screen the arms go 100 px left and 20 px left, 80 px up from the vertex (square pixels)
    assert moved.degrees == pytest.approx(np.degrees(np.arctan2(80, 20)), abs=0.01)
    assert last_line(window) == f"Angle ({plane}): {moved.degrees:.1f}° (moved)"
    clicks(qtbot, view, ((140, 30),))                     # nothing there: a new angle begins
    qtbot.keyClick(view, Qt.Key_Escape)
    drag_end = ((60, 200), (30, 230))                     # the first arm's end
    qtbot.mousePress(view, Qt.LeftButton, pos=QPoint(*drag_end[0]))
    qtbot.mouseMove(view, QPoint(*drag_end[1]))
    qtbot.mouseRelease(view, Qt.LeftButton, pos=QPoint(*drag_end[1]))
    assert np.allclose(c.angles[0].a_ras, pointed_ras(view, *drag_end[1]), atol=1e-6)
    assert np.allclose(c.angles[0].vertex_ras, moved.vertex_ras) and len(c.angles) == 2


def test_an_arm_dragged_to_no_length_keeps_its_place(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path)
    c, view = window.controller, window.slice_views["axial"]
    window.mode_actions["angle"].trigger()
    clicks(qtbot, view, ANGLE)
    before = c.angles[0]
    qtbot.mousePress(view, Qt.LeftButton, pos=QPoint(140, 120))   # the second arm's end...
    qtbot.mouseMove(view, QPoint(140, 160))
    assert np.allclose(c.angles[0].c_ras, pointed_ras(view, 140, 160), atol=1e-6), "taken"
    qtbot.mouseMove(view, QPoint(140, 200))                        # ...onto the vertex
    qtbot.mouseRelease(view, Qt.LeftButton, pos=QPoint(140, 200))
    assert len(c.angles) == 1 and c.angles[0] is before


def test_click_selects_an_angle_and_delete_removes_it(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path)
    c, view = window.controller, window.slice_views["axial"]
    window.mode_actions["angle"].trigger()
    clicks(qtbot, view, ANGLE)
    clicks(qtbot, view, ((60, 60), (100, 60), (100, 30)))
    first, second = c.angles
    assert c.selected is second, "the angle just drawn is the selected one"
    hover_shows(qtbot, view, 100, 200, Qt.PointingHandCursor, "over an arm: a click selects it")
    hover_shows(qtbot, view, 141, 121, Qt.SizeAllCursor, "over a point: a drag moves it")
    around = (slice(110, 131), slice(125, 156))                   # the first's second arm end
    plain = coloured(picture(view)[around], GREEN, 20).sum()
    clicks(qtbot, view, ((100, 201),))                            # on the first's arm
    assert len(c.angles) == 2 and c.selected is first, "a click on an angle draws no other"
    handles = coloured(picture(view)[around], GREEN, 20).sum()
    assert handles > plain + 10, "the selected angle has a handle on its points"
    qtbot.keyClick(view, Qt.Key_Delete)
    assert c.angles == [second] and c.selected is None, "Delete: the selected one, not the newest"
    assert last_line(window) == "Angle (axial): 90.0° deleted"


def test_navigate_mode_takes_an_angles_point_and_navigates_elsewhere(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path)
    c, view = window.controller, window.slice_views["coronal"]
    window.mode_actions["angle"].trigger()
    clicks(qtbot, view, ANGLE)
    window.mode_actions["navigate"].trigger()
    crosshair = c.state.crosshair_ras.copy()
    hover_shows(qtbot, view, 61, 199, Qt.SizeAllCursor, "over a point: a drag moves it")
    hover_shows(qtbot, view, 100, 200, Qt.ArrowCursor, "over an arm: a press navigates")
    qtbot.mousePress(view, Qt.LeftButton, pos=QPoint(61, 199))
    qtbot.mouseMove(view, QPoint(80, 150))
    qtbot.mouseRelease(view, Qt.LeftButton, pos=QPoint(80, 150))
    assert np.allclose(c.angles[0].a_ras, pointed_ras(view, 80, 150), atol=1e-6)
    assert np.allclose(c.state.crosshair_ras, crosshair), "taking a point does not navigate"
    assert c.selected is c.angles[0]
    qtbot.keyClick(view, Qt.Key_Delete)                # the selected angle, in Navigate mode too
    assert c.angles == []
