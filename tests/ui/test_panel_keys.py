"""Keyboard-only use: F6 (Ctrl+Tab) takes the keys from the views to each side panel in turn and
back, Shift+F6 (Ctrl+Shift+Tab) the other way; in a panel Tab walks its boxes. Tab only cycled
the slice views, so the panels could not be reached without a mouse. Back in the views the
panels' widgets take the focus only when clicked again (key_focus.py's reasons hold)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDockWidget

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def region(window):
    focus = QApplication.focusWidget()
    for dock in window.findChildren(QDockWidget):
        if dock.isAncestorOf(focus):
            return dock.objectName()
    return "views" if focus in window.slice_views.values() else repr(focus)


def test_f6_moves_the_keys_between_the_views_and_the_panels(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    assert QApplication.focusWidget() is axial
    # in the order they sit: Display, the row of tabs under it, Measurements (test_panel_keys_order)
    panels = ["Display", "Segments", "Segment editor", "Lesions", "Measurements"]
    assert set(panels) == {d.objectName() for d in window.findChildren(QDockWidget)
                           if d.toggleViewAction().isChecked()}
    seen = []
    for _ in panels:
        type_key(window, Qt.Key_F6)
        seen.append(region(window))
        dock = window.findChild(QDockWidget, seen[-1])
        assert dock is not None and dock.isVisible(), seen   # tabbed behind another: raised
    assert seen == panels, "each open panel in turn"
    type_key(window, Qt.Key_F6)
    assert QApplication.focusWidget() is axial, "then back to the view clicked last"
    z0 = window.controller.state.crosshair_ras[2]
    type_key(window, Qt.Key_Down)                                # the view's keys work again
    assert not np.isclose(window.controller.state.crosshair_ras[2], z0)
    type_key(window, Qt.Key_F6, Qt.ShiftModifier)
    assert region(window) == panels[-1], "Shift+F6: the other way"
    type_key(window, Qt.Key_Tab, Qt.ControlModifier)
    assert QApplication.focusWidget() is axial, "Ctrl+Tab as F6"


def test_tab_walks_a_panel_reached_by_f6_and_the_panel_is_click_only_after(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    panel = window.display_panel
    type_key(window, Qt.Key_F6)
    assert QApplication.focusWidget() is panel.window_box.lineEdit() or panel.window_box.hasFocus()
    type_key(window, Qt.Key_Tab)
    assert panel.level_box.hasFocus(), "Tab: the panel's next box"
    w0 = panel.window_box.value()
    type_key(window, Qt.Key_F6, Qt.ShiftModifier)                # back to the views
    assert QApplication.focusWidget() is axial
    assert panel.window_box.focusPolicy() == Qt.ClickFocus, "click-only again"
    for _ in range(3):
        type_key(window, Qt.Key_Tab)                             # Tab cycles the views only
        assert QApplication.focusWidget() in window.views.values()
    assert panel.window_box.value() == w0
