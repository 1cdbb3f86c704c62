"""The follow-up window's panes: each plane linked in both panes, the wheel, the page and arrow
keys moving one slice, and the orientation letters of each pane."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import sort_arrow_widths
from followup_views import (
    crosshair_pixel,
    followup_view,  # noqa: F401  (a fixture)
    lesion_voxel,
    near_crosshair,
    outline_pixels,
    plane_button,
    voxel_under,
)
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from neuroview.app.followup_lesions import CSV_COLUMNS
from neuroview.render.slices import CROSSHAIR_COLOR


def wheel(qtbot, widget, pos: QPoint, up: bool) -> None:
    delta = QPoint(0, 120 if up else -120)
    event = QWheelEvent(QPointF(pos), QPointF(widget.mapToGlobal(pos)), QPoint(), delta,
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


@pytest.mark.parametrize("plane, normal_axis", [("sagittal", 0), ("coronal", 1), ("axial", 2)])
def test_each_plane_is_linked_in_both_panes(followup_view, qtbot, plane, normal_axis):  # noqa: F811
    view, pair = followup_view, followup_view.pair
    qtbot.mouseClick(plane_button(view, plane), Qt.LeftButton)
    assert pair.plane == plane and plane_button(view, plane).isChecked()
    assert abs(pair.pane_geometry().normal[normal_axis]) == pytest.approx(1.0)
    # the grown lesion, reached from its row: bigger outline in the later study, in this plane too
    row = next(r for r, cells in enumerate(view.table_text()) if cells[1] == "enlarging" and not cells[2])
    qtbot.mouseClick(view.table.viewport(), Qt.LeftButton,
                     pos=view.table.visualItemRect(view.table.item(row, 3)).center())
    lesion = next(r for r in view.comparison.table.rows if r.id == int(view.table.item(row, 0).text()))
    assert np.allclose(pair.state.crosshair_ras, lesion_voxel(pair, lesion))
    left, right = near_crosshair(pair, *pair.pane_images())
    assert outline_pixels(right) > outline_pixels(left) > 0
    # a click in the right pane puts the crosshair on the voxel clicked in both panes, on the
    # voxel slice shown
    w, h = pair.pane_size()
    expected = voxel_under(pair, w // 3, h // 3)
    shown = pair.state.crosshair_ras[normal_axis]
    qtbot.mouseClick(pair, Qt.LeftButton, pos=QPoint(w + w // 3, h // 3))
    assert np.allclose(pair.state.crosshair_ras, expected)
    depth = pair.state.crosshair_ras[normal_axis]
    assert abs(depth - shown) <= 1.5 + 1e-6                 # within the 3 mm slice shown
    x, y = crosshair_pixel(pair)
    for rgb in pair.pane_images():  # (a line on a pixel edge: either side may draw it)
        assert np.all(rgb[0, x - 1:x + 1] == CROSSHAIR_COLOR, axis=1).any()
        assert np.all(rgb[y - 1:y + 1, 0] == CROSSHAIR_COLOR, axis=1).any()
    # the wheel moves both panes up to the next voxel slice (steps of 3 mm, landing on voxel
    # slices as in Slicer); Down moves back one voxel
    before = pair.pane_images()
    wheel(qtbot, pair, QPoint(w // 2, h // 2), up=True)
    moved = pair.state.crosshair_ras[normal_axis]
    assert depth < moved <= depth + 3.0 + 1e-6
    after = pair.pane_images()
    assert not np.array_equal(after[0], before[0]) and not np.array_equal(after[1], before[1])
    qtbot.keyClick(pair, Qt.Key_Down)
    assert pair.state.crosshair_ras[normal_axis] == pytest.approx(moved - 3.0)


def test_the_wheel_moves_one_slice_per_notch_and_a_sideways_swipe_none(followup_view, qtbot):  # noqa: F811
    """Each wheel event moved one slice whatever its size: a sideways touchpad swipe (no vertical
    turn) moved a slice down, an eighth of a notch a whole slice (found walking the window)."""
    pair = followup_view.pair
    w, h = pair.pane_size()
    pos = QPointF(w / 2, h / 2)

    def send(dx, dy):
        QApplication.sendEvent(pair, QWheelEvent(pos, QPointF(pair.mapToGlobal(pos)), QPoint(),
                                                 QPoint(dx, dy), Qt.NoButton, Qt.NoModifier,
                                                 Qt.NoScrollPhase, False))

    depth = pair.state.slice_position_mm("axial")
    step = pair.state.slice_step_mm("axial")
    send(120, 0)
    assert pair.state.slice_position_mm("axial") == pytest.approx(depth)
    for _ in range(7):
        send(0, 15)
    assert pair.state.slice_position_mm("axial") == pytest.approx(depth)
    send(0, 15)
    assert pair.state.slice_position_mm("axial") == pytest.approx(depth + step)


def test_page_keys_and_arrows_move_a_slice_as_in_the_main_views(followup_view, qtbot):  # noqa: F811
    """PgUp/PgDn (and Right/Left) step the slice as they do in the main window's views; here they
    did nothing (only the wheel and Up/Down did)."""
    pair = followup_view.pair
    step = pair.state.slice_step_mm("axial")
    for key, change in ((Qt.Key_PageUp, step), (Qt.Key_PageDown, -step), (Qt.Key_Right, step),
                        (Qt.Key_Left, -step)):
        depth = pair.state.slice_position_mm("axial")
        before = pair.pane_images()
        qtbot.keyClick(pair, key)
        assert pair.state.slice_position_mm("axial") == pytest.approx(depth + change)
        after = pair.pane_images()
        assert not np.array_equal(after[0], before[0]) and not np.array_equal(after[1], before[1])


EDGE_LETTERS = {"axial": ("R", "L", "A", "P"), "coronal": ("R", "L", "S", "I"),
                "sagittal": ("A", "P", "S", "I")}
"""Radiological convention written out by hand: left, right, top, bottom of each pane."""


def test_each_pane_shows_the_orientation_letters(followup_view, qtbot):  # noqa: F811
    from neuroview.render.slices import LETTER_COLOR
    from neuroview.render.text import draw_text

    pair = followup_view.pair
    for plane, (left, right, top, bottom) in EDGE_LETTERS.items():
        qtbot.mouseClick(plane_button(followup_view, plane), Qt.LeftButton)
        for subtraction in (False, True):
            if subtraction:
                qtbot.keyClick(pair, Qt.Key_D)
            image = pair.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
            shown = np.frombuffer(image.constBits(), np.uint8).reshape(
                image.height(), image.bytesPerLine())[:, :3 * image.width()].reshape(
                image.height(), image.width(), 3)
            w, h = pair.pane_size()
            expected = np.zeros((h, w, 3), np.uint8)
            for letter, x, y, anchor in ((left, 4, h / 2, "left"), (right, w - 4, h / 2, "right"),
                                         (top, w / 2, 3, "top"), (bottom, w / 2, h - 3, "bottom")):
                draw_text(expected, letter, x, y, LETTER_COLOR, anchor)
            wanted = np.all(expected == LETTER_COLOR, axis=2)
            bar = (slice(h - 40, h), slice(w - w // 5 - 70, w))   # the scale bar and its label
            wanted[bar] = False
            for x0 in (0, w):   # baseline pane, then the later study (or the subtraction)
                pane = shown[:h, x0:x0 + w]
                yellow = np.all(pane == LETTER_COLOR, axis=2)
                assert yellow[bar].sum() > 20   # the bar's yellow, in its corner
                yellow[bar] = False
                assert np.array_equal(yellow, wanted), (plane, x0)
            if subtraction:
                qtbot.keyClick(pair, Qt.Key_D)


def test_the_table_sort_arrow_points_the_way_the_rows_read(followup_view, qtbot):  # noqa: F811
    """▲ while sorted smallest first, ▼ largest first, as in the Lesions list (Fusion drew them
    the other way round)."""
    header = followup_view.table.horizontalHeader()
    column = CSV_COLUMNS.index("change_ml")
    header.setSortIndicator(column, Qt.AscendingOrder)
    rows = [float(cells[column]) for cells in followup_view.table_text()]
    assert rows == sorted(rows)
    widths = sort_arrow_widths(header, column)
    assert len(widths) >= 3 and widths == sorted(widths) and widths[0] < widths[-1]                # ▲
    header.setSortIndicator(column, Qt.DescendingOrder)
    widths = sort_arrow_widths(header, column)
    assert len(widths) >= 3 and widths == sorted(widths, reverse=True) and widths[0] > widths[-1]  # ▼
