"""Removing a segment from the Segment editor: one with voxels only after a question."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_and_paint_segment_1, stroke
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox


def test_remove_asks_before_clearing_a_segments_voxels(qtbot, window, tmp_path):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    painted = session.labels.array.copy()
    assert (painted == 1).sum() > 10
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert [s.name for s in session.segments] == ["Segment 1", "Segment 2"]  # nothing yet
    np.testing.assert_array_equal(session.labels.array, painted)
    box = panel.remove_question
    assert box.isVisible()
    assert "Segment 1" in box.text() and f"{(painted == 1).sum()} voxels" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.No), Qt.LeftButton)
    assert [s.name for s in session.segments] == ["Segment 1", "Segment 2"]
    np.testing.assert_array_equal(session.labels.array, painted)
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    qtbot.mouseClick(panel.remove_question.button(QMessageBox.Yes), Qt.LeftButton)
    assert [s.name for s in session.segments] == ["Segment 2"]
    assert not session.labels.array.any()
    session.undo()   # as the question says
    np.testing.assert_array_equal(session.labels.array, painted)
    session.redo()
    panel.table.selectRow(0)   # Segment 2 holds no voxels: removed without a question
    panel.remove_question = None
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert panel.remove_question is None and len(session.segments) == 0


def test_remove_of_a_locked_segment_says_so_without_a_question(qtbot, window, tmp_path):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path, n_segments=1)
    panel = window.edit_actions.panel
    session.segments.lock(1, True)
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert panel.remove_question is None
    assert "locked" in window.message_bar.text
    assert [s.name for s in session.segments] == ["Segment 1"] and session.labels.array.any()


def test_the_remove_question_counts_what_yes_throws_away_now(qtbot, window, tmp_path):
    """The question is not modal: painting (or Ctrl+Z) while it waits changes what Yes removes,
    and its count followed none of it (a walk saw a stale count)."""
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    box = panel.remove_question
    first = int((session.labels.array == 1).sum())
    assert f"its {first} voxels" in box.text()
    panel.select_tool("paint")
    session.set_params("paint", radius_mm=4.0, mode="3d")
    stroke(window, "axial", [INSIDE_CASE_RAS + [12.0, 0.0, 0.0]])    # more of Segment 1
    more = int((session.labels.array == 1).sum())
    assert more > first and box.isVisible()
    assert f"its {more} voxels" in box.text()
    window.editor.undo()
    assert f"its {first} voxels" in box.text()
    session.segments.rename(1, "lesion")
    assert f"'lesion' and its {first} voxels" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.Yes), Qt.LeftButton)
    assert [s.name for s in session.segments] == ["Segment 2"]


def test_the_remove_question_closes_when_its_segment_goes(qtbot, window, tmp_path):
    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    box = panel.remove_question
    assert box.isVisible()
    session.segments.remove(1)                      # from Python, or the Segments list
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    assert [s.name for s in session.segments] == ["Segment 2"]


def test_remove_and_colour_wait_for_a_segment(qtbot, window, tmp_path):
    """In a window with no image, Remove and Colour... are greyed as with an image and no segment
    (they were enabled at start-up and a click did nothing); a segment enables them."""
    panel = window.edit_actions.panel
    assert not panel.remove_button.isEnabled() and not panel.color_button.isEnabled()
    assert panel.add_button.isEnabled()   # it says "open an image first"
    open_and_paint_segment_1(qtbot, window, tmp_path)
    assert panel.remove_button.isEnabled() and panel.color_button.isEnabled()
