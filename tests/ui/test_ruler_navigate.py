"""In Navigate mode a ruler's end is picked as in Ruler mode (a press selects the ruler, a drag
moves the end), as Slicer and PACS viewers allow; a press anywhere else, its line included,
moves the crosshair as before. A ruler could be picked only after a change to Ruler mode."""

from __future__ import annotations

import numpy as np
from editor_helpers import hover_shows
from measure_drawing import drag
from PySide6.QtCore import QPoint, Qt
from ruler_cases import ruler_pixels, two_rulers


def test_navigate_mode_takes_a_rulers_end_and_navigates_elsewhere(qtbot, window, tmp_path):
    c, axial, first, second = two_rulers(qtbot, window, tmp_path)
    window.mode_actions["navigate"].trigger()
    crosshair = c.state.crosshair_ras.copy()
    start, end = ruler_pixels(axial, first)
    hover_shows(qtbot, axial, int(end[0]) + 2, int(end[1]) - 2, Qt.SizeAllCursor,
                "over an end: a drag moves it")
    hover_shows(qtbot, axial, 130, 101, Qt.ArrowCursor, "over a line: a press navigates")
    drag(qtbot, axial, (int(end[0]) + 2, int(end[1]) - 2), (220, 150))
    assert len(c.rulers) == 2 and c.rulers[1] is second, "no new ruler; the other one unchanged"
    moved = c.rulers[0]
    assert np.allclose(moved.start_ras, first.start_ras), "the other end stays"
    assert np.allclose(ruler_pixels(axial, moved)[1], (220.5, 150.5), atol=0.01)
    assert c.selected_ruler is moved
    assert np.allclose(c.state.crosshair_ras, crosshair), "taking a ruler's end does not navigate"
    last = window.measurements.item(window.measurements.count() - 1).text()
    assert last == f"Ruler (axial): {moved.length_mm:.1f} mm (moved)"
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(130, 101))   # on the first one's line
    assert not np.allclose(c.state.crosshair_ras, crosshair), "a press on a line navigates"
    assert c.selected_ruler is moved and len(c.rulers) == 2
    crosshair = c.state.crosshair_ras.copy()
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(121, 201))   # the second one's end
    assert c.selected_ruler is c.rulers[1] and np.allclose(c.state.crosshair_ras, crosshair)
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(250, 300))   # elsewhere: navigates
    assert not np.allclose(c.state.crosshair_ras, crosshair)
    assert len(c.rulers) == 2 and c.rulers[0] is moved
