"""The follow-up window's typed *Window* and *Level* boxes, the main window's (``ui/wl_boxes``):
they show the window both panes are drawn at and stay in step with a drag (F2) and the *Preset*
box; a value typed draws both panes at it (s27: the follow-up window had the drag and the
presets, and no box to type a window into)."""

from __future__ import annotations

import numpy as np
import pytest
from followup_drag import drag
from followup_pixels import assert_drawn_at, plain_pixels
from followup_views import followup_view  # noqa: F401
from key_presses import press
from PySide6.QtCore import QPoint, Qt


def type_into(qtbot, box, text: str) -> None:
    """Click into the box, replace its text, Enter: as a user types a value."""
    qtbot.mouseClick(box.lineEdit(), Qt.LeftButton)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key_Return)


def test_a_window_and_level_typed_draw_both_panes_at_them(followup_view, qtbot):  # noqa: F811
    pair, wl = followup_view.pair, followup_view.wl
    assert (wl.window_box.value(), wl.level_box.value()) == pytest.approx(
        (pair.state.window, pair.state.level), abs=0.05)       # the opening window, shown
    plain = plain_pixels(pair, pair.pane_images())
    before = pair.pane_images()
    type_into(qtbot, wl.window_box, "60")
    type_into(qtbot, wl.level_box, "120")
    assert (pair.state.window, pair.state.level) == (60.0, 120.0)
    assert not np.array_equal(pair.pane_images()[1], before[1])
    assert_drawn_at(pair, 60.0, 120.0, plain)
    assert wl.preset_box.currentText() == "Custom"
    wl.preset_box.setCurrentText("Full range")                  # a preset: the boxes follow it
    low, high = float(pair.baseline.array.min()), float(pair.baseline.array.max())
    assert wl.window_box.text() == f"{high - low:.1f}" and wl.level_box.text() == f"{(high + low) / 2:.1f}"


def test_the_boxes_follow_a_drag_and_a_box_left_untyped_keeps_the_exact_window(followup_view, qtbot):  # noqa: F811
    pair, wl = followup_view.pair, followup_view.wl
    press(qtbot, followup_view, Qt.Key_F2)
    w, h = pair.pane_size()
    start = QPoint(w // 2 + 30, h // 2 + 30)
    drag(qtbot, pair, Qt.LeftButton, start, start + QPoint(37, -23))
    window, level = pair.state.window, pair.state.level
    assert wl.window_box.text() == f"{window:.1f}" and wl.level_box.text() == f"{level:.1f}"
    assert round(window, 1) != window       # the box shows it rounded
    qtbot.mouseClick(wl.window_box.lineEdit(), Qt.LeftButton)   # clicked into, left untyped
    pair.setFocus()
    assert (pair.state.window, pair.state.level) == (window, level)
    wl.window_box.stepUp()                  # an arrow step applies at once
    assert pair.state.window == pytest.approx(round(window, 1) + 1.0)
