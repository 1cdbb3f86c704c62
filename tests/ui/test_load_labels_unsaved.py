"""*File > Load labels* over labels with unsaved edits asks first in the notice bar (Replace /
Cancel, not modal), as ITK-SNAP does: until session 25 the file replaced the hand-drawn voxels
with no question. Cancel keeps them; Replace loads the file, and Ctrl+Z brings the edits back."""

from __future__ import annotations

import numpy as np
from editor_helpers import (
    INSIDE_CASE_RAS,
    open_image,
    stroke,
    wait_for_session,
    write_image,
    write_two_label_mask,
)
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _paint(window):
    window.edit_actions.panel.select_tool("paint")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    stroke(window, "axial", [INSIDE_CASE_RAS])


def test_load_labels_over_unsaved_edits_asks_replace_or_cancel(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    saved, labels = write_two_label_mask(tmp_path, volume)
    _paint(window)
    edited = session.labels.array.copy()
    assert window.editor.case.modified and edited.any() and not np.array_equal(edited, labels)

    window.open_labels(saved)                                # as File > Load labels... does
    bar = window.notice_bar
    qtbot.waitUntil(lambda: set(bar.buttons) == {"Replace", "Cancel"}, timeout=10000)
    assert "not saved" in bar.text and saved.name in bar.text
    assert not window.runner.busy and np.array_equal(session.labels.array, edited)   # nothing read
    qtbot.mouseClick(bar.buttons["Cancel"], Qt.LeftButton)
    assert not bar.isVisible() and not window.runner.busy
    assert np.array_equal(session.labels.array, edited) and window.editor.case.modified

    window.open_labels(saved)
    qtbot.waitUntil(lambda: "Replace" in bar.buttons and bar.isVisible(), timeout=10000)
    qtbot.mouseClick(bar.buttons["Replace"], Qt.LeftButton)
    qtbot.waitUntil(lambda: np.array_equal(session.labels.array, labels), timeout=30000)
    assert window.editor.case.modified                       # the edits are only in Ctrl+Z
    window.editor.undo()
    assert np.array_equal(session.labels.array, edited)


def test_load_labels_with_nothing_unsaved_asks_nothing(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    saved, labels = write_two_label_mask(tmp_path, volume)
    window.open_labels(saved)
    qtbot.waitUntil(lambda: np.array_equal(session.labels.array, labels), timeout=30000)
    assert "Replace" not in window.notice_bar.buttons or not window.notice_bar.isVisible()
