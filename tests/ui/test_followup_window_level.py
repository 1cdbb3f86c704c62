"""The follow-up window's window/level, as the main window's: *Window/level* (F2) makes a left drag
change the window of both panes (the window's width / 200 a pixel), the *Preset* box has the main
window's presets for the baseline, and the subtraction keeps its own window (s26: the panes stayed
at the baseline's opening window, with no way to change it)."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import activate
from followup_drag import drag
from followup_pixels import assert_drawn_at, plain_pixels
from followup_views import followup_view  # noqa: F401
from key_presses import press
from PySide6.QtCore import QPoint, Qt


def test_f2_then_a_left_drag_changes_the_window_of_both_panes(followup_view, qtbot):  # noqa: F811
    view, pair = followup_view, followup_view.pair
    window, level = pair.state.window, pair.state.level
    crosshair = pair.state.crosshair_ras.copy()
    before = pair.pane_images()
    plain = plain_pixels(pair, before)
    assert view.wl.preset_box.currentText() == "Auto (percentiles)"
    press(qtbot, view, Qt.Key_F2)
    assert view.wl.button.isChecked()
    w, h = pair.pane_size()
    start = QPoint(w // 2 + 30, h // 2 + 30)     # in the left pane
    drag(qtbot, pair, Qt.LeftButton, start, start + QPoint(60, -40))
    # 60 pixels right: the window 30 % wider; 40 up: the level lower by 20 % of the window
    assert pair.state.window == pytest.approx(1.3 * window)
    assert pair.state.level == pytest.approx(level - 0.2 * window)
    assert np.array_equal(pair.state.crosshair_ras, crosshair)   # not a crosshair drag
    assert not np.array_equal(pair.pane_images()[0], before[0])
    assert not np.array_equal(pair.pane_images()[1], before[1])
    assert_drawn_at(pair, 1.3 * window, level - 0.2 * window, plain)
    assert view.wl.preset_box.currentText() == "Custom"
    # F2 again: a left drag in the right pane moves the crosshair again
    press(qtbot, view, Qt.Key_F2)
    drag(qtbot, pair, Qt.LeftButton, QPoint(w + start.x(), start.y()),
         QPoint(w + start.x() + 20, start.y()))
    assert not np.array_equal(pair.state.crosshair_ras, crosshair)
    assert pair.state.window == pytest.approx(1.3 * window)


def test_a_preset_sets_both_panes_and_the_subtraction_keeps_its_window(followup_view, qtbot):  # noqa: F811
    view, pair = followup_view, followup_view.pair
    names = [view.wl.preset_box.itemText(i) for i in range(view.wl.preset_box.count())]
    assert names == ["Auto (percentiles)", "Full range", "Custom"]   # an MR: no CT presets
    auto = pair.state.window, pair.state.level
    plain = plain_pixels(pair, pair.pane_images())
    view.wl.preset_box.setCurrentText("Full range")
    low, high = float(pair.baseline.array.min()), float(pair.baseline.array.max())
    assert (pair.state.window, pair.state.level) == pytest.approx((high - low, (high + low) / 2))
    assert_drawn_at(pair, high - low, (high + low) / 2, plain)
    press(qtbot, view, Qt.Key_D)        # the subtraction
    difference = pair.pane_images()[1]
    view.wl.preset_box.setCurrentText("Auto (percentiles)")
    assert (pair.state.window, pair.state.level) == pytest.approx(auto)
    left, right = pair.pane_images()
    assert np.array_equal(right, difference)
    assert_drawn_at(pair, *auto, (plain[0], plain[1][:1]))


def test_f2_in_the_followup_window_leaves_the_main_window_mode(window, three_studies, qtbot):
    """The follow-up window opened from the main window (its own window, as File > Open
    follow-up... opens it): F2 there toggles its *Window/level*, not the main window's mode."""
    from neuroview.app.followup_report import ReportInfo
    from neuroview.ui.followup_window import FollowupWindow

    view = FollowupWindow(*three_studies, info=ReportInfo(), parent=window)
    view.setWindowFlag(Qt.Window)
    view.show()
    qtbot.waitExposed(view)
    activate(qtbot, view)
    view.pair.setFocus()
    mode = window.controller.mode
    qtbot.keyClick(view.pair, Qt.Key_F2)
    assert view.wl.button.isChecked() and view.pair.window_level
    assert window.controller.mode == mode
    view.close()


# The panes re-map the values they sampled when only the window/level changes, as the main
# window's slice views do: the pictures equal ones drawn afresh, and a new slice samples both
# panes again (no stale plane).
def _afresh(pair) -> tuple:
    """Both panes drawn from nothing: another plane shown, then this one again."""
    plane = pair.plane
    pair.set_plane("coronal" if plane != "coronal" else "axial")
    pair.pane_images()
    pair.set_plane(plane)
    return pair.pane_images()


def test_window_level_remaps_both_panes_and_a_slice_step_samples(followup_view):  # noqa: F811
    pair = followup_view.pair
    before = pair.pane_images()
    sampled = pair.samplings
    pair.set_window_level(pair.state.window * 0.6, pair.state.level + 0.1 * pair.state.window)
    shown = pair.pane_images()
    assert pair.samplings == sampled                      # re-mapped, not sampled
    assert not np.array_equal(shown[0], before[0]) and not np.array_equal(shown[1], before[1])
    for now, fresh in zip(shown, _afresh(pair)):
        np.testing.assert_array_equal(now, fresh)

    pair.state.scroll(pair.plane, 2)                      # another slice after the W/L change
    sampled = pair.samplings
    stepped = pair.pane_images()
    sampled_now = pair.samplings
    assert not np.array_equal(stepped[0], shown[0])
    plain_pixels(pair, stepped)   # 90 % of each pane's pixels as a plain render of the new slice
    for now, fresh in zip(stepped, _afresh(pair)):
        np.testing.assert_array_equal(now, fresh)
    assert sampled_now == sampled + 2
