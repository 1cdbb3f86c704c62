"""Rulers and angles are undone and redone with Ctrl+Z / Ctrl+Y in one order with the label edits,
as 3D Slicer and ITK-SNAP undo a markup change: drawn, moved (one drag, one step) and deleted.
Ctrl+Z used to skip them: it undid the brush stroke painted before the ruler."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_case, shortcut, stroke
from measure_drawing import drag
from PySide6.QtCore import QPoint, Qt


def ctrl(qtbot, window, key):
    shortcut(qtbot, window, key, Qt.ControlModifier)


def same(items, expected) -> bool:
    return len(items) == len(expected) and all(a is b for a, b in zip(items, expected))


def draw_two_rulers_and_an_angle(qtbot, window):
    c, axial = window.controller, window.slice_views["axial"]
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (40, 60), (180, 60))
    drag(qtbot, axial, (40, 90), (180, 90))
    window.mode_actions["angle"].trigger()
    for x, y in ((60, 300), (160, 300), (260, 200)):
        qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(x, y))
    assert len(c.rulers) == 2 and len(c.angles) == 1
    return list(c.rulers), list(c.angles)


def test_ctrl_z_and_ctrl_y_follow_rulers_angles_and_strokes_in_order(qtbot, window, tmp_path):
    _, session = open_case(qtbot, window, tmp_path)
    c = window.controller
    qtbot.waitUntil(lambda: window.slice_views["axial"].last is not None, timeout=10000)
    session.segments.add("lesion")         # a step too, before the rulers
    rulers, angles = draw_two_rulers_and_an_angle(qtbot, window)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="2d")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + np.array([6.0, 0.0, 0.0])])
    painted = session.labels.array.copy()
    assert painted.any() and window.edit_actions.undo_action.isEnabled()

    ctrl(qtbot, window, Qt.Key_Z)          # the stroke, the newest
    assert not session.labels.array.any() and same(c.angles, angles) and same(c.rulers, rulers)
    ctrl(qtbot, window, Qt.Key_Z)          # then the angle
    assert c.angles == [] and same(c.rulers, rulers)
    ctrl(qtbot, window, Qt.Key_Z)
    assert same(c.rulers, rulers[:1])
    ctrl(qtbot, window, Qt.Key_Z)
    assert c.rulers == [] and len(session.segments) == 1
    assert window.measurements.item(window.measurements.count() - 1).text() == \
        f"Undone: ruler drawn (axial, {rulers[0].length_mm:.1f} mm)"

    ctrl(qtbot, window, Qt.Key_Y)          # redone in the order done
    assert same(c.rulers, rulers[:1]) and c.angles == []
    ctrl(qtbot, window, Qt.Key_Y)
    assert same(c.rulers, rulers) and c.angles == [] and not session.labels.array.any()
    assert window.edit_actions.redo_action.isEnabled()
    ctrl(qtbot, window, Qt.Key_Y)
    ctrl(qtbot, window, Qt.Key_Y)
    assert same(c.angles, angles) and np.array_equal(session.labels.array, painted)
    assert not window.edit_actions.redo_action.isEnabled()


def test_a_drag_is_one_step_and_a_delete_comes_back_in_its_place(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path)
    c, axial = window.controller, window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    rulers, _ = draw_two_rulers_and_an_angle(qtbot, window)
    window.mode_actions["ruler"].trigger()
    qtbot.mousePress(axial, Qt.LeftButton, pos=QPoint(180, 60))     # the first one's end
    for x in range(185, 240, 5):                                     # many moves, one drag
        qtbot.mouseMove(axial, QPoint(x, 70))
    qtbot.mouseRelease(axial, Qt.LeftButton, pos=QPoint(240, 70))
    moved = c.rulers[0]
    assert moved is not rulers[0] and moved.length_mm > rulers[0].length_mm
    ctrl(qtbot, window, Qt.Key_Z)          # the whole drag
    assert same(c.rulers, rulers) and len(c.angles) == 1
    ctrl(qtbot, window, Qt.Key_Y)
    assert same(c.rulers, [moved, rulers[1]])

    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(100, 61))     # select the first one
    assert c.selected_ruler is moved
    qtbot.keyClick(axial, Qt.Key_Delete)
    assert same(c.rulers, rulers[1:])
    ctrl(qtbot, window, Qt.Key_Z)          # back in its place, not after the other
    assert same(c.rulers, [moved, rulers[1]])
    ctrl(qtbot, window, Qt.Key_Y)
    assert same(c.rulers, rulers[1:])


def test_a_ruler_drawn_after_an_undone_stroke_drops_its_redo(qtbot, window, tmp_path):
    """One history: a new step (here a ruler) forgets what was undone, as a new stroke does."""
    _, session = open_case(qtbot, window, tmp_path)
    c, axial = window.controller, window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    ctrl(qtbot, window, Qt.Key_Z)
    assert not session.labels.array.any() and window.edit_actions.redo_action.isEnabled()
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (40, 60), (180, 60))
    assert not window.edit_actions.redo_action.isEnabled()
    ctrl(qtbot, window, Qt.Key_Y)
    assert len(c.rulers) == 1 and not session.labels.array.any()
    ctrl(qtbot, window, Qt.Key_Z)
    assert c.rulers == [] and len(session.segments) == 1   # the segment added is the step before


def test_ctrl_z_while_a_ruler_end_is_held_puts_it_back_and_undoes_nothing_else(qtbot, window,
                                                                                 tmp_path):
    """As Ctrl+Z during a brush stroke throws away the stroke only. It took back the ruler drawn
    before, and the drag went on moving the ruler with no step to undo it."""
    open_case(qtbot, window, tmp_path)
    c, axial = window.controller, window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    rulers, _ = draw_two_rulers_and_an_angle(qtbot, window)
    window.mode_actions["ruler"].trigger()
    qtbot.mousePress(axial, Qt.LeftButton, pos=QPoint(180, 60))
    qtbot.mouseMove(axial, QPoint(220, 70))
    assert c.rulers[0] is not rulers[0]
    ctrl(qtbot, window, Qt.Key_Z)
    assert same(c.rulers, rulers) and len(c.angles) == 1, "the held end back, nothing else undone"
    qtbot.mouseMove(axial, QPoint(240, 80))
    qtbot.mouseRelease(axial, Qt.LeftButton, pos=QPoint(240, 80))
    assert same(c.rulers, rulers), "the rest of the drag moves nothing"
    ctrl(qtbot, window, Qt.Key_Z)
    assert c.angles == [] and same(c.rulers, rulers)


def test_a_redo_a_ruler_dropped_stays_dropped_after_a_crash(qtbot, window, tmp_path):
    """The ruler dropped the stroke's redo in memory only; the crash journal still held the stroke
    as undone, so the session restored from the workspace (what a restart after a kill opens)
    offered Ctrl+Y for a stroke the user could no longer redo before the kill."""
    from neuroview.app.session import Session

    volume, session = open_case(qtbot, window, tmp_path)
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    ctrl(qtbot, window, Qt.Key_Z)
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (40, 60), (180, 60))
    assert not session.history.can_redo and not session.labels.array.any()
    restored = Session(volume, session.journal.folder)     # the workspace's files, as after a kill
    try:
        assert len(restored.segments) == 1 and not restored.labels.array.any()
        assert not restored.history.can_redo
    finally:
        restored.close()
