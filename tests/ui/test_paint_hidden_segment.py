"""Painting (or filling) into a segment whose Show box is unticked shows it first: on a walk
through the demo case a stroke into a hidden segment changed 191 voxels that no view showed,
without a word (the person paints blind, and thinks nothing happened)."""

from __future__ import annotations

import numpy as np
from ai_click_cases import CENTRE, _answered_click, _setup
from editor_helpers import INSIDE_CASE_RAS, grab, open_case, pixel_of, stroke
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _hide_the_active_segment(qtbot, window, session):
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1 and session.active_segment is not None)
    panel.table.item(0, 0).setCheckState(Qt.Unchecked)    # the Show box, as a click unticks it
    segment = session.segments.get(session.active_segment)
    assert not segment.visible
    return segment.value


def test_a_stroke_into_a_hidden_segment_shows_it(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    value = _hide_the_active_segment(qtbot, window, session)
    window.edit_actions.panel.select_tool("paint")
    view = window.slice_views["axial"]
    x, y = (int(v) for v in pixel_of(window, "axial", INSIDE_CASE_RAS))
    view.repaint()
    before = grab(view)[y, x].astype(int)
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    assert (session.labels.array == value).sum() > 10
    assert session.segments.get(value).visible
    assert window.edit_actions.panel.table.item(0, 0).checkState() == Qt.Checked
    view.repaint()
    assert np.abs(grab(view)[y, x].astype(int) - before).sum() > 30   # the stroke is on screen
    assert "shown" in window.statusBar().currentMessage()
    session.undo()                     # the stroke, then the Show: two steps, as done
    assert not (session.labels.array == value).any() and session.segments.get(value).visible
    session.undo()
    assert not session.segments.get(value).visible


def test_erasing_a_hidden_segment_leaves_it_hidden(qtbot, window, tmp_path):
    """Erase shows nothing new: the segment stays as it is (its Show box is the person's)."""
    _volume, session = open_case(qtbot, window, tmp_path)
    value = _hide_the_active_segment(qtbot, window, session)
    window.edit_actions.panel.select_tool("erase")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert not session.segments.get(value).visible


def test_erasing_voxels_of_a_hidden_segment_says_so(qtbot, window, tmp_path):
    """Erase on a hidden segment removed voxels no view showed, without a word (session 40's
    annotator walk); its Show box stays the person's (above), and the status line says it."""
    _volume, session = open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    value = session.active_segment
    painted = session.labels.array == value
    panel.table.item(0, 0).setCheckState(Qt.Unchecked)          # hidden
    panel.select_tool("erase")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    erased = int((painted & (session.labels.array != value)).sum())
    assert 0 < erased < painted.sum() and not session.segments.get(value).visible
    assert window.statusBar().currentMessage() == (
        f"Erased {erased} voxels of 'Segment 1', hidden: no view shows it (tick Show to see; "
        "Ctrl+Z brings the voxels back).")


def test_an_ai_click_object_into_a_hidden_segment_shows_it(qtbot, window, tmp_path):
    """AI click into a segment whose Show box is unticked drew its object in no view (session
    52's walk: a 13.4 mL object, only the prompt's dot on screen) and Enter accepted it unseen;
    the segment is shown first, as for Paint (its own undo step)."""
    session, first, _second = _setup(qtbot, window, tmp_path)
    value = _hide_the_active_segment(qtbot, window, session)
    view = window.slice_views["axial"]
    x, y = (int(v) for v in pixel_of(window, "axial", CENTRE + [3.0, 3.0, 0]))   # off dot and crosshair
    view.repaint()
    before = grab(view)[y, x].astype(int)
    shown = _answered_click(qtbot, window, CENTRE)
    assert (shown == value).sum() > 0.7 * first.sum()
    assert session.segments.get(value).visible
    assert window.edit_actions.panel.table.item(0, 0).checkState() == Qt.Checked
    view.repaint()
    assert np.abs(grab(view)[y, x].astype(int) - before).sum() > 30   # the object is on screen
