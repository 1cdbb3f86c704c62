"""The follow-up window's keys reach the panes: F (flicker), D (subtraction) and the slice keys,
right after the window opens and after a click on its buttons or lists (s26 walk: the keys went
to the *Follow-up* list, where F chose follow-up 2 instead of flickering)."""

from __future__ import annotations

import numpy as np
import pytest
from followup_views import followup_view, plane_button  # noqa: F401
from key_presses import press
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication


def test_f_and_d_right_after_opening_flicker_and_subtract(followup_view, qtbot):  # noqa: F811
    view = followup_view
    before = view.pair.pane_images()
    press(qtbot, view, Qt.Key_F)
    assert view.pair.flicker and view.index == 0 and view.timepoint.currentIndex() == 0
    left, right = view.pair.pane_images()
    band = round(20 * view.pair.devicePixelRatioF())   # (the caption, saying flicker)
    assert np.array_equal(right[band:], left[band:]) and not np.array_equal(right, before[1])
    press(qtbot, view, Qt.Key_F)
    press(qtbot, view, Qt.Key_D)
    assert not view.pair.flicker and view.pair.subtraction and view.index == 0


def test_slice_keys_after_opening_step_the_panes_not_the_lists(followup_view, qtbot):  # noqa: F811
    view, pair = followup_view, followup_view.pair
    depth = pair.state.slice_position_mm("axial")
    press(qtbot, view, Qt.Key_Down)
    assert view.index == 0 and view.table_choice.currentIndex() == 0
    assert pair.state.slice_position_mm("axial") == pytest.approx(
        depth - pair.state.slice_step_mm("axial"))


def test_keys_stay_with_the_panes_after_a_click_on_a_button(followup_view, qtbot):  # noqa: F811
    view, pair = followup_view, followup_view.pair
    qtbot.mouseClick(plane_button(view, "coronal"), Qt.LeftButton)
    depth = pair.state.slice_position_mm("coronal")
    press(qtbot, view, Qt.Key_Up)
    assert pair.state.slice_position_mm("coronal") == pytest.approx(
        depth + pair.state.slice_step_mm("coronal"))
    qtbot.mouseClick(view.subtraction_button, Qt.LeftButton)
    assert pair.subtraction
    press(qtbot, view, Qt.Key_D)
    assert not pair.subtraction


def test_f_works_while_the_table_has_the_keys(followup_view, qtbot):  # noqa: F811
    view = followup_view
    table = view.table
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualItemRect(table.item(0, 1)).center())
    assert QApplication.focusWidget() is table
    press(qtbot, view, Qt.Key_F)
    assert view.pair.flicker
    qtbot.mouseClick(view.pair, Qt.LeftButton, pos=QPoint(20, 20))
    press(qtbot, view, Qt.Key_F)
    assert not view.pair.flicker


def test_typing_in_a_threshold_box_does_not_flicker(followup_view, qtbot):  # noqa: F811
    view = followup_view
    box = view.min_change_pct
    qtbot.mouseClick(box.lineEdit(), Qt.LeftButton)
    assert QApplication.focusWidget() in (box, box.lineEdit())
    press(qtbot, view, Qt.Key_F)
    press(qtbot, view, Qt.Key_D)
    assert not view.pair.flicker and not view.pair.subtraction
