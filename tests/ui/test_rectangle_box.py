"""The statistics rectangle (F4, a drag on a slice view) stays on its slice with its figures, as
the ellipses do (session 48) and as ITK-SNAP and Slicer keep their ROIs: several on a slice, each
shown again when its slice is; Ctrl+Z takes back the last one drawn (Ctrl+Y redoes it), Delete
the one selected, a right click on its edge offers *Delete*, a drag of a selected one's corner
resizes it. Until session 49 there was one at a time, with no undo: the next rectangle, Esc or a
slice change took it away for good."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab, open_image, shortcut, write_image
from measure_drawing import first_item_chosen
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from neuroview.ui.measure_draw import markups_3d


def _drag(view, a: QPoint, b: QPoint) -> None:
    QTest.mousePress(view, Qt.LeftButton, Qt.NoModifier, a)
    for t in np.linspace(0.2, 1.0, 5):
        QTest.mouseMove(view, a + (b - a) * float(t))
    QTest.mouseRelease(view, Qt.LeftButton, Qt.NoModifier, b)


def _orange(picture) -> np.ndarray:
    """The rectangle's orange (255, 140, 0), also half over grey: not the yellow crosshair."""
    r, g, b = (picture[..., i].astype(int) for i in range(3))
    return (r > 200) & (g > 100) & (g < 185) & (b < 110)


def _left_side(view, a: QPoint, b: QPoint) -> int:
    """Orange pixels along the left side of the rectangle drawn from ``a`` to ``b``."""
    return int(_orange(grab(view))[a.y() + 3:b.y() - 2, a.x() - 1:a.x() + 2].sum())


def _last_line(window) -> str:
    return window.measurements.item(window.measurements.count() - 1).text()


def _drawing(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    window.controller.active_view = "axial"
    window.set_layout("single")   # room for two rectangles' figures clear of the other's sides
    qtbot.waitUntil(lambda: axial.last is not None and axial.width() > 500, timeout=10000)
    window.mode_actions["rectangle"].trigger()
    return window.controller, axial


def test_rectangles_stay_on_their_slice_several_at_once(qtbot, window, tmp_path):
    c, axial = _drawing(qtbot, window, tmp_path)
    w, h = axial.width() // 2, axial.height() // 2
    first, second = (QPoint(w - 200, h - 60), QPoint(w - 130, h)), (QPoint(w, h - 60), QPoint(w + 70, h))
    _drag(axial, *first)
    _drag(axial, *second)
    assert len(c.rectangles) == 2
    assert _left_side(axial, *first) >= 40 and _left_side(axial, *second) >= 40   # both shown
    assert _last_line(window).startswith(f"Rectangle (axial): {c.rectangles[1].stats.voxels} voxels")

    axial.setFocus()
    QTest.keyClick(axial, Qt.Key_Escape)      # Esc leaves them, as it leaves a ruler
    assert len(c.rectangles) == 2 and _left_side(axial, *first) >= 40
    QTest.keyClick(axial, Qt.Key_Up)          # the next slice: not on it
    assert not _orange(grab(axial)).any()
    QTest.keyClick(axial, Qt.Key_Down)        # back on their slice: both again
    assert _left_side(axial, *first) >= 40 and _left_side(axial, *second) >= 40
    # the 3D view draws each: its four corners round, its figures at its right end
    marks = markups_3d(c)
    assert [m.text for m in marks] == [r.value_text for r in c.rectangles]
    corners = np.array(marks[0].points)
    assert len(corners) == 5 and np.allclose(corners[0], corners[-1])
    rectangle = c.rectangles[0]
    assert np.allclose(np.sort(corners[:4], axis=0)[[0, -1]],
                       np.sort(np.stack([rectangle.start_ras, rectangle.end_ras]), axis=0))


def test_ctrl_z_ctrl_y_delete_and_the_right_click_take_rectangles_off(qtbot, window, tmp_path):
    c, axial = _drawing(qtbot, window, tmp_path)
    w, h = axial.width() // 2, axial.height() // 2
    # the second past the first's figures, which go on its right once the second is gone
    first, second = ((QPoint(w - 200, h - 60), QPoint(w - 130, h)),
                     (QPoint(w + 130, h - 60), QPoint(w + 200, h)))
    _drag(axial, *first)
    _drag(axial, *second)
    drawn = list(c.rectangles)

    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the last one drawn
    assert c.rectangles == drawn[:1] and _left_side(axial, *second) == 0
    assert _last_line(window) == f"Undone: rectangle drawn (axial, {drawn[1].value_text})"
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert c.rectangles == drawn and _left_side(axial, *second) >= 40
    assert _last_line(window) == f"Redone: rectangle drawn (axial, {drawn[1].value_text})"

    axial.setFocus()
    QTest.keyClick(axial, Qt.Key_Delete)    # the selected one: the newest, redone last
    assert c.rectangles == drawn[:1] and _left_side(axial, *second) == 0
    assert _last_line(window) == f"Rectangle (axial): {drawn[1].value_text} deleted"
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the delete undone
    assert c.rectangles == drawn

    at = QPoint(first[0].x(), (first[0].y() + first[1].y()) // 2)   # on the first one's left side
    chosen = first_item_chosen(qtbot, window, axial, at)
    assert chosen == f"Delete rectangle ({drawn[0].value_text})"
    assert c.rectangles == drawn[1:] and _left_side(axial, *first) == 0
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert c.rectangles == drawn and _left_side(axial, *first) >= 40


def test_a_drag_of_a_selected_rectangles_corner_resizes_it_in_one_undo_step(qtbot, window,
                                                                            tmp_path):
    c, axial = _drawing(qtbot, window, tmp_path)
    w, h = axial.width() // 2, axial.height() // 2
    a, b, far = QPoint(w - 60, h - 40), QPoint(w + 20, h + 20), QPoint(w + 70, h + 60)
    _drag(axial, a, b)
    drawn = c.rectangles[0]
    assert c.selected is drawn
    _drag(axial, b + QPoint(2, 1), far)   # on its handle
    assert len(c.rectangles) == 1 and c.rectangles[0] is not drawn
    bigger = c.rectangles[0]
    assert bigger.stats.voxels > drawn.stats.voxels and _left_side(axial, a, far) >= 60
    assert _last_line(window) == f"Rectangle (axial): {bigger.value_text} (moved)"
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)    # the whole drag
    assert c.rectangles == [drawn]
