"""The segment editor builds a tool's options page when the tool is first picked: a new window
built the 11 pages of the tools not picked (180 widgets, a tenth of its CPU to make, show and
close). Nothing a user sees changes: the dock is as wide at the start as with every page built
(Islands' page is the widest), and a page built after an image opened shows the image's decimals
and the values remembered for the tool."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, wait_for_session
from key_presses import type_key
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from neuroview.app.view_presets import window_decimals
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_new_window_builds_only_navigate_its_dock_as_wide(qtbot, window, second_window):
    """``window`` is made first (this process's first panel measures the pages' width by building
    them all); ``second_window`` builds Navigate's page alone, its editor dock as wide, and the
    widest page, Islands', is whole in it when picked (it was cut 8 pixels short at the right)."""
    panel, dock = second_window.edit_actions.panel, second_window.edit_actions.dock
    assert list(panel.pages) == list(panel.option_widgets.built) == ["navigate"]
    second_window.edit_actions.close_case()   # as every test's end: no page built for it (it
    assert list(panel.option_widgets.built) == ["navigate"]   # built Logical's, 2 ms)
    assert dock.width() == window.edit_actions.dock.width()
    width = dock.width()
    qtbot.mouseClick(panel.tool_buttons["islands"], Qt.LeftButton)   # the widest page
    operation = panel.option_widgets["islands"]["operation"]
    qtbot.waitUntil(lambda: operation.isVisible() and panel.width() >= panel.minimumSizeHint().width())
    assert dock.width() == width
    right = operation.mapTo(dock.widget().viewport(), operation.rect().topRight()).x()
    assert right < dock.widget().viewport().width(), (right, dock.widget().viewport().width())


def test_a_page_built_after_the_image_opened_shows_its_decimals_and_values(
        qtbot, window, second_window, tmp_path):
    image = np.random.default_rng(5).random((16, 16, 8)).astype(np.float32)   # 0-1: 3 decimals
    path = tmp_path / "norm.nii.gz"
    save_nifti(image, np.diag([2.0, 2.0, 2.0, 1.0]), path)
    open_image(qtbot, second_window, path)   # the window whose pages are built on pick
    session = wait_for_session(qtbot, second_window)
    session.set_params("fill", intensity_low=0.35)      # as Threshold's Use for masking does
    session.set_params("islands", min_voxels=40)
    panel = second_window.edit_actions.panel
    assert not {"fill", "islands"} & set(panel.option_widgets.built)
    qtbot.mouseClick(panel.tool_buttons["fill"], Qt.LeftButton)
    low = panel.option_widgets["fill"]["intensity_low"]
    assert low.isVisible() and low.check.isChecked()
    assert low.spin.decimals() == window_decimals(image.min(), image.max()) >= 3
    assert low.spin.text() == "0.350".ljust(2 + low.spin.decimals(), "0")
    qtbot.mouseClick(panel.tool_buttons["islands"], Qt.LeftButton)
    assert panel.option_widgets["islands"]["min_voxels"].text() == "40"


def test_keyboard_only_a_page_built_in_the_panel_f6_reached_takes_tab_in_order(qtbot, window,
                                                                               second_window):
    """F6 to the Segment editor, Tab to the tools, Right to *Erase* (picked): its page is built
    then, and Tab goes from Erase to its Radius, Brush and Erase boxes, as with every page built
    at the start (a page built later was click-only, last in the Tab order: Tab left the panel)."""
    panel = second_window.edit_actions.panel
    for _ in range(3):   # Display, Segments, Segment editor
        type_key(second_window, Qt.Key_F6)
    assert second_window.panel_focus.opened is second_window.edit_actions.dock
    for _ in range(10):
        if QApplication.focusWidget() is panel.tool_buttons["navigate"]:
            break
        type_key(second_window, Qt.Key_Tab)
    for _ in range(2):   # Paint, Erase: the arrows move in the group of tool buttons
        type_key(second_window, Qt.Key_Right)
    assert QApplication.focusWidget() is panel.tool_buttons["erase"]
    type_key(second_window, Qt.Key_Space)
    assert panel.tool == "erase"   # (the arrows pick too: Paint on the way)
    widgets = panel.option_widgets["erase"]
    wanted = [widgets["radius_mm"], widgets["mode"], widgets["segment"]]
    reached = []
    for _ in wanted:
        type_key(second_window, Qt.Key_Tab)
        focus = QApplication.focusWidget()
        reached.append(focus.parentWidget() if focus is widgets["radius_mm"].lineEdit() else focus)
    assert reached == wanted
