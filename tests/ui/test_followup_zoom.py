"""The follow-up panes zoom and pan as the main window's views do, both panes together: Ctrl+wheel
and right-drag zoom about the pointer, middle-drag pans, R resets; a left drag moves the crosshair
(s26 walk: Ctrl+wheel stepped the slice, a drag did nothing, and there was no zoom)."""

from __future__ import annotations

import numpy as np
import pytest
from followup_drag import drag
from followup_views import followup_view, voxel_under  # noqa: F401
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication


def ctrl_wheel(widget, pos: QPoint, notches: int) -> None:
    event = QWheelEvent(QPointF(pos), QPointF(widget.mapToGlobal(pos)), QPoint(),
                        QPoint(0, 120 * notches), Qt.NoButton, Qt.ControlModifier,
                        Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_ctrl_wheel_zooms_both_panes_about_the_pointer_and_keeps_the_slice(followup_view, qtbot):  # noqa: F811
    pair = followup_view.pair
    w, h = pair.pane_size()
    spot = QPoint(w // 2 + 37, h // 2 - 23)      # in the left pane
    before_mm = pair.pane_geometry().mm_per_pixel
    under = pair.pane_geometry().pixel_to_ras(spot.x(), spot.y())
    depth = pair.state.slice_position_mm("axial")
    images = pair.pane_images()
    ctrl_wheel(pair, spot, 3)
    assert pair.state.slice_position_mm("axial") == pytest.approx(depth)   # not a slice step
    assert pair.pane_geometry().mm_per_pixel == pytest.approx(before_mm / 1.15 ** 3)
    assert np.allclose(pair.pane_geometry().pixel_to_ras(spot.x(), spot.y()), under, atol=0.2)
    left, right = pair.pane_images()
    assert not np.array_equal(left, images[0]) and not np.array_equal(right, images[1])
    # the right pane shows the same place at the same pixel: one geometry for both
    ctrl_wheel(pair, QPoint(w + spot.x(), spot.y()), -3)
    assert pair.pane_geometry().mm_per_pixel == pytest.approx(before_mm)


def test_right_drag_zooms_middle_drag_pans_and_r_resets(followup_view, qtbot):  # noqa: F811
    pair = followup_view.pair
    w, h = pair.pane_size()
    centre = QPoint(w // 2, h // 2)
    before_mm = pair.pane_geometry().mm_per_pixel
    drag(qtbot, pair, Qt.RightButton, centre, centre - QPoint(0, 60))
    assert pair.pane_geometry().mm_per_pixel < 0.7 * before_mm
    grabbed = pair.pane_geometry().pixel_to_ras(centre.x(), centre.y())
    drag(qtbot, pair, Qt.MiddleButton, centre, centre + QPoint(40, 25))
    # the point that was under the pointer follows it
    assert np.allclose(pair.pane_geometry().pixel_to_ras(centre.x() + 40, centre.y() + 25),
                       grabbed, atol=0.5)
    pair.setFocus()
    qtbot.keyClick(pair, Qt.Key_R)
    assert pair.pane_geometry().mm_per_pixel == pytest.approx(before_mm)


def test_a_left_drag_moves_the_crosshair_along(followup_view, qtbot):  # noqa: F811
    pair = followup_view.pair
    w, h = pair.pane_size()
    start, end = QPoint(w // 2 - 30, h // 2), QPoint(w // 2 + 45, h // 2 + 20)
    drag(qtbot, pair, Qt.LeftButton, start, end)
    assert np.allclose(pair.state.crosshair_ras, voxel_under(pair, end.x(), end.y()))


def test_a_row_jump_brings_a_lesion_outside_the_zoomed_panes_into_view(followup_view, qtbot):  # noqa: F811
    view, pair, table = followup_view, followup_view.pair, followup_view.table
    ctrl_wheel(pair, QPoint(2, 2), 12)             # 5x about the pane's top left corner
    w, h = pair.pane_size()
    lesions = {row.id: row for row in view.comparison.table.rows}
    hidden = [r for r in range(table.rowCount())
              if not (0 <= pair.pane_geometry().ras_to_pixel(lesions[int(table.item(r, 0).text())]
                                                              .position_ras)[0] < w)]
    assert hidden
    zoom = pair.pane_geometry().mm_per_pixel
    row = table.visualItemRect(table.item(hidden[0], 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=row)
    x, y = pair.pane_geometry().ras_to_pixel(pair.state.crosshair_ras)
    assert 0 <= x < w and 0 <= y < h
    assert pair.pane_geometry().mm_per_pixel == pytest.approx(zoom)   # still zoomed in


def test_plus_and_minus_zoom_both_panes_as_in_the_main_window(followup_view, qtbot):  # noqa: F811
    """+ (or =) and - zoom a quarter about the panes' centre, as the main window's views; they did
    nothing here until session 44."""
    from key_presses import type_key

    pair = followup_view.pair
    centre = pair.pane_geometry().pixel_to_ras(*(np.array(pair.pane_size()) / 2))
    before_mm = pair.pane_geometry().mm_per_pixel
    type_key(pair, Qt.Key_Equal)
    assert pair.pane_geometry().mm_per_pixel == pytest.approx(before_mm / 1.25)
    assert np.allclose(pair.pane_geometry().pixel_to_ras(*(np.array(pair.pane_size()) / 2)), centre)
    type_key(pair, Qt.Key_Minus)
    assert pair.pane_geometry().mm_per_pixel == pytest.approx(before_mm)
