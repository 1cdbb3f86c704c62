"""Removing a segment from the Segment editor: one with voxels only after a question."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, wait_for_session, write_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox


def test_remove_asks_before_clearing_a_segments_voxels(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    session.apply("paint", at_ras=INSIDE_CASE_RAS, radius_mm=5.0, mode="3d", segment=1)
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
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    session.apply("paint", at_ras=INSIDE_CASE_RAS, radius_mm=5.0, mode="3d", segment=1)
    session.segments.lock(1, True)
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert panel.remove_question is None
    assert "locked" in window.message_bar.text
    assert [s.name for s in session.segments] == ["Segment 1"] and session.labels.array.any()
