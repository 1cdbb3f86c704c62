"""Rulers are picked as in Slicer and ITK-SNAP: a drag of a ruler's end moves that end, a click on
a ruler selects it and Delete removes the selected one (else the newest on the slice, as before).
Rulers could only be drawn; a press on one drew another, and Delete took only the newest."""

from __future__ import annotations

import numpy as np
from editor_helpers import hover_shows
from measure_drawing import drag
from PySide6.QtCore import QPoint, Qt
from ruler_cases import open_shown, ruler_pixels, two_rulers
from ruler_colours import cyan_pixels, same


def test_click_selects_a_ruler_and_delete_removes_it(qtbot, window, tmp_path):
    c, axial, first, second = two_rulers(qtbot, window, tmp_path)
    assert c.selected_ruler is second, "the ruler just drawn is the selected one"
    plain = cyan_pixels(axial)
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(130, 101))   # on the first one's line
    assert same(c.rulers, [first, second]), "a click on a ruler draws no other"
    assert c.selected_ruler is first
    qtbot.waitUntil(lambda: cyan_pixels(axial) != plain, timeout=5000)   # drawn with its handles
    qtbot.keyClick(axial, Qt.Key_Delete)
    assert same(c.rulers, [second]), "Delete removes the selected ruler, not the newest"
    assert c.selected_ruler is None
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(250, 300))   # elsewhere: nothing selected
    assert c.selected_ruler is None and same(c.rulers, [second])
    qtbot.keyClick(axial, Qt.Key_Delete)     # none selected: the newest on the slice, as before
    assert c.rulers == []


def test_drag_of_a_ruler_end_moves_that_end(qtbot, window, tmp_path):
    c, axial, first, second = two_rulers(qtbot, window, tmp_path)
    start, end = ruler_pixels(axial, first)
    drag(qtbot, axial, (int(end[0]) + 2, int(end[1]) - 2), (220, 150))   # near its end: takes it
    assert len(c.rulers) == 2 and c.rulers[1] is second, "no new ruler; the other one unchanged"
    moved = c.rulers[0]
    assert np.allclose(moved.start_ras, first.start_ras), "the other end stays"
    assert np.allclose(ruler_pixels(axial, moved)[1], (220.5, 150.5), atol=0.01)
    assert moved.length_mm > first.length_mm and c.selected_ruler is moved
    last = window.measurements.item(window.measurements.count() - 1).text()
    assert last == f"Ruler (axial): {moved.length_mm:.1f} mm (moved)"
    drag(qtbot, axial, tuple(int(v) for v in start), (int(end[0]), int(end[1])))   # the start too
    assert np.allclose(ruler_pixels(axial, c.rulers[0])[0], np.floor(end) + 0.5, atol=0.01)
    assert len(c.rulers) == 2


def test_pointer_shows_where_a_ruler_can_be_taken(qtbot, window, tmp_path):
    open_shown(qtbot, window, tmp_path)
    axial = window.slice_views["axial"]
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (60, 100), (200, 100))
    hover_shows(qtbot, axial, 201, 101, Qt.SizeAllCursor, "over an end: a drag moves it")
    hover_shows(qtbot, axial, 130, 101, Qt.PointingHandCursor, "over the line: a click selects it")
    hover_shows(qtbot, axial, 130, 200, Qt.ArrowCursor)
    window.mode_actions["navigate"].trigger()
    assert axial.cursor().shape() == Qt.ArrowCursor
