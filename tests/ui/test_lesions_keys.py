"""The Lesions list from the keyboard: Up/Down (PgUp/PgDn, Ctrl+Home/End) jump every view to the lesion
they select, as a click does. Only a click jumped: a keyboard user saw the row highlighted but the
views stayed where they were, and Delete then rejected a lesion that was not on screen."""

from __future__ import annotations

import numpy as np
from key_presses import type_key
from lesion_lists import list_of_two
from PySide6.QtCore import Qt


def ijk_of_crosshair(window, volume):
    crosshair = window.controller.state.crosshair_ras
    return tuple(np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(crosshair, 1))[:3].astype(int))


def test_arrow_keys_in_the_list_jump_to_the_lesion_they_select(qtbot, window, tmp_path):
    volume, session, _segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    table = panel.table
    start = ijk_of_crosshair(window, volume)
    assert not big[start] and not small[start]
    table.setFocus()                                   # F6 then Tab, as the keyboard gets there
    qtbot.waitUntil(table.hasFocus)
    type_key(window, Qt.Key_Down)     # the first row: the biggest lesion
    assert big[ijk_of_crosshair(window, volume)], "the views show the lesion selected"
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0]
    type_key(window, Qt.Key_Down)
    assert small[ijk_of_crosshair(window, volume)]
    type_key(window, Qt.Key_Up)
    assert big[ijk_of_crosshair(window, volume)]
    type_key(window, Qt.Key_Delete)   # rejects the lesion on screen
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5000)
    assert not (session.labels.array[big]).any() and (session.labels.array[small]).all()


def test_a_stroke_refreshing_the_list_does_not_move_the_views(qtbot, window, tmp_path):
    """Only keys jump: the list refilled after an edit (its current row changing) leaves the
    crosshair where the user works."""
    volume, session, segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    panel.table.setFocus()
    type_key(window, Qt.Key_Down)
    window.controller.set_crosshair(np.array([0.0, 0.0, 0.0]))
    here = window.controller.state.crosshair_ras.copy()
    session.apply("paint", at_ras=np.array([-20.0, 20.0, -20.0]), radius_mm=3, segment=segment.value)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=5000)
    qtbot.wait(100)
    np.testing.assert_allclose(window.controller.state.crosshair_ras, here)
