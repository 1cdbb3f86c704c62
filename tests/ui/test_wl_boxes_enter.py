"""Enter (the value typed applied) and Esc (the value typed dropped) in a typed *Window* or *Level*
box give the keys back to the view, in the follow-up window and the main window: a radiologist who
typed a window steps slices with Up/Down again (they went on stepping the window by 1). Keys are
typed into the window's handle, so Qt gives them to whatever widget has the focus, as for a user."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image
from followup_views import followup_view  # noqa: F401
from key_presses import type_key
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def type_into(qtbot, box, text: str) -> None:
    """Click into the box and type ``text`` over its value (no Enter yet)."""
    qtbot.mouseClick(box.lineEdit(), Qt.LeftButton)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)


def test_enter_in_the_followup_window_box_gives_up_down_to_the_panes(followup_view, qtbot):  # noqa: F811
    pair, wl = followup_view.pair, followup_view.wl
    type_into(qtbot, wl.window_box, "60")
    type_key(followup_view, Qt.Key_Return)
    assert pair.state.window == 60.0 and QApplication.focusWidget() is pair
    slice_before = pair.state.slice_label(pair.plane)
    type_key(followup_view, Qt.Key_Down)
    assert pair.state.window == 60.0 and wl.window_box.text() == "60.0"   # not 59
    assert pair.state.slice_label(pair.plane) != slice_before            # a slice stepped
    type_into(qtbot, wl.level_box, "120")
    type_key(followup_view, Qt.Key_Enter)                                  # the keypad's Enter
    assert pair.state.level == 120.0 and QApplication.focusWidget() is pair


def test_esc_in_the_followup_window_box_drops_the_value_typed(followup_view, qtbot):  # noqa: F811
    pair, wl = followup_view.pair, followup_view.wl
    window = pair.state.window
    shown = wl.window_box.text()
    type_into(qtbot, wl.window_box, "999")
    type_key(followup_view, Qt.Key_Escape)
    assert QApplication.focusWidget() is pair
    assert pair.state.window == window and wl.window_box.text() == shown
    pair.setFocus()                        # leaving the box later applies nothing either
    assert pair.state.window == window


def test_enter_in_the_main_window_box_gives_up_down_to_the_view(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    state, axial = window.controller.state, window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton)
    box = window.display_panel.window_box
    type_into(qtbot, box, "321")
    type_key(window, Qt.Key_Return)
    assert np.isclose(state.window, 321.0)
    assert QApplication.focusWidget() is window.slice_views[window.controller.active_view]
    z0 = state.crosshair_ras[2]
    type_key(window, Qt.Key_Down)
    assert np.isclose(state.window, 321.0) and box.value() == 321.0
    assert not np.isclose(state.crosshair_ras[2], z0)
