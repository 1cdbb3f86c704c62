"""The brush paints the segment selected in the Segments list, whatever option was changed before
(issue #10, item 1): radius box, ``]``, the 2D/3D combo, then a click on another row, then a drag."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import INSIDE_CASE_RAS, open_image, shortcut, stroke, wait_for_session, write_image
from PySide6.QtCore import Qt

Q = INSIDE_CASE_RAS + np.array([-10.0, 4.0, 0.0])


def click_row(qtbot, panel, name):
    table = panel.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).text() == name)
    item = table.item(row, 3)
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualItemRect(item).center())


def change_radius_box(qtbot, window, panel):
    box = panel.option_widgets["paint"]["radius_mm"]
    qtbot.mouseDClick(box.lineEdit(), Qt.LeftButton)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "7")
    qtbot.keyClick(box.lineEdit(), Qt.Key_Return)
    assert window.editor.session.params["paint"].radius_mm == 7.0


def press_bracket(qtbot, window, panel):
    before = window.editor.session.params["paint"].radius_mm
    shortcut(qtbot, window, Qt.Key_BracketRight)
    assert window.editor.session.params["paint"].radius_mm > before


def change_mode_combo(qtbot, window, panel):
    combo = panel.option_widgets["paint"]["mode"]
    assert combo.currentData() == "2d"
    qtbot.mouseClick(combo, Qt.LeftButton)      # focus it as a user does, then pick with the keys
    qtbot.keyClick(combo.view() if combo.view().isVisible() else combo, Qt.Key_Down)
    if combo.view().isVisible():
        qtbot.keyClick(combo.view(), Qt.Key_Return)
    assert window.editor.session.params["paint"].mode == "3d"


@pytest.mark.parametrize("change", [change_radius_box, press_bracket, change_mode_combo],
                         ids=["radius-box", "bracket-key", "mode-combo"])
def test_paint_goes_to_the_row_selected_after_an_option_change(qtbot, window, tmp_path, change):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    panel = window.edit_actions.panel
    panel.select_tool("paint")
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)     # "Segment 1"
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)     # "Segment 2"
    click_row(qtbot, panel, "Segment 1")
    assert session.active_segment == session.segments["Segment 1"].value
    change(qtbot, window, panel)                          # while Segment 1 is selected
    click_row(qtbot, panel, "Segment 2")
    assert session.active_segment == session.segments["Segment 2"].value
    stroke(window, "axial", [INSIDE_CASE_RAS, Q])
    seg1, seg2 = session.segments["Segment 1"].value, session.segments["Segment 2"].value
    assert (session.labels.array == seg2).sum() > 20
    assert not (session.labels.array == seg1).any()
