"""Keys reach the views: after a double-click maximise, after answering the restore offer, with
the pointer over a view. Keys are typed into the window (``QTest`` on the window handle), so Qt
delivers them to whatever widget has the focus, as it does for a user."""

from __future__ import annotations

import numpy as np
from editor_helpers import (
    INSIDE_CASE_RAS,
    leave_a_crashed_workspace,
    open_image,
    wait_for_session,
    write_image,
)
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def test_down_after_double_click_maximise_moves_the_slice_not_the_window(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    state = window.controller.state
    axial = window.slice_views["axial"]
    qtbot.mouseDClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    assert axial.isVisible() and not window.view3d.isVisible()
    qtbot.wait(50)
    z0, w0 = state.crosshair_ras[2], window.display_panel.window_box.value()
    type_key(window, Qt.Key_Down)
    type_key(window, Qt.Key_Down)
    # two slices down from the middle slice it opened on (2 mm slices)
    assert np.isclose(state.crosshair_ras[2] - z0, -4.0)
    assert window.display_panel.window_box.value() == w0
    assert np.isclose(state.window, w0)
    qtbot.mouseDClick(axial, Qt.LeftButton, pos=QPoint(60, 60))   # back to four-up
    qtbot.wait(50)
    type_key(window, Qt.Key_Up)
    assert np.isclose(state.crosshair_ras[2] - z0, -2.0)
    assert window.display_panel.window_box.value() == w0


def test_keys_reach_the_views_after_restore_at_start_up(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=4)
    open_image(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    session = wait_for_session(qtbot, window)
    qtbot.wait(50)
    state = window.controller.state
    z0, w0 = state.crosshair_ras[2], window.display_panel.window_box.value()
    type_key(window, Qt.Key_Down)
    assert np.isclose(state.crosshair_ras[2] - z0, -2.0)  # one 2 mm slice down
    assert window.display_panel.window_box.value() == w0
    radius = session.params["paint"].radius_mm
    type_key(window, Qt.Key_P)
    assert window.controller.mode == "paint"
    type_key(window, Qt.Key_BracketRight)
    assert np.isclose(session.params["paint"].radius_mm, radius * 1.25)
    type_key(window, Qt.Key_N)
    assert window.controller.mode == "navigate"
    type_key(window, Qt.Key_Z, Qt.ControlModifier)           # undo the restored stroke
    assert not (session.labels.array > 0).any()


def test_pointer_over_a_view_takes_the_keys_from_a_spin_box_not_being_typed_in(qtbot, window,
                                                                              tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    state = window.controller.state
    box = window.display_panel.window_box
    qtbot.mouseClick(box.lineEdit(), Qt.LeftButton)           # the user clicked the spin box
    assert box.hasFocus()
    w0 = box.value()
    type_key(window, Qt.Key_Up)                               # ... so it takes the keys
    assert box.value() != w0
    type_key(window, Qt.Key_Return)
    coronal = window.slice_views["coronal"]
    # the pointer moves over the spin box, then over a view: sent as the window system sends
    # moves (QTest.mouseMove on a widget moves the cursor, and Qt skips a move to where the cursor
    # already is, or, offscreen, one from a cursor last over a closed window: an earlier test's
    # pointer left the coronal view "under the mouse" and the view never got its Enter event)
    handle = window.windowHandle()
    QTest.mouseMove(handle, box.mapTo(window, box.rect().center()))
    qtbot.waitUntil(lambda: not coronal.underMouse(), timeout=10000)
    QTest.mouseMove(handle, coronal.mapTo(window, QPoint(40, 40)))
    # its Enter event comes through the X server, after mouseMove returns: 2 s was too short at load 7
    qtbot.waitUntil(lambda: coronal.hasFocus(), timeout=10000)
    y0, w1 = state.crosshair_ras[1], box.value()
    type_key(window, Qt.Key_Up)
    assert np.isclose(state.crosshair_ras[1] - y0, 2.0)  # one 2 mm slice on
    assert box.value() == w1


def test_one_view_shows_the_view_clicked_last_and_keys_step_it(qtbot, window, tmp_path):
    """View > One view after working in the coronal view: the coronal view fills the window and
    Down steps its slices (it showed the axial view whatever view was in use)."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    coronal = window.slice_views["coronal"]
    qtbot.mouseClick(coronal, Qt.LeftButton, pos=QPoint(60, 60))
    window.layout_actions["single"].trigger()
    qtbot.waitUntil(lambda: [name for name, view in window.views.items() if view.isVisible()] == ["coronal"],
                    timeout=10000)
    state = window.controller.state
    y0 = state.crosshair_ras[1]
    type_key(window, Qt.Key_Down)
    assert np.isclose(state.crosshair_ras[1] - y0, -2.0)  # one 2 mm coronal slice back
    window.layout_actions["four-up"].trigger()
    assert all(view.isVisible() for view in window.views.values())
