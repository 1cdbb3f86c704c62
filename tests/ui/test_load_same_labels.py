"""Loading a labels file into a case with nothing unsaved (the labels a worklist case saved before,
offered back when it opens again) leaves the case unmodified: the label map is that file's, and
closing asks nothing. Over unsaved edits, or once edited, the case is modified."""

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

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _load(qtbot, window, path):
    window.edit_actions.load_labels(path)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def test_loading_saved_labels_leaves_the_case_unmodified(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    saved, labels = write_two_label_mask(tmp_path, volume)
    assert not window.editor.case.modified
    _load(qtbot, window, saved)
    assert np.array_equal(session.labels.array, labels)
    assert not window.editor.case.modified                  # what the close question reads

    window.edit_actions.panel.select_tool("paint")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    stroke(window, "axial", [INSIDE_CASE_RAS])               # an edit: now there is something to save
    edited = session.labels.array.copy()
    assert window.editor.case.modified and not np.array_equal(edited, labels)
    window.edit_actions.load_labels(saved)                   # over unsaved edits: asked first
    qtbot.waitUntil(lambda: "Replace" in window.notice_bar.buttons, timeout=10000)
    window.notice_bar.buttons["Replace"].click()             # then they are in Ctrl+Z
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert np.array_equal(session.labels.array, labels) and window.editor.case.modified
    window.editor.undo()
    assert np.array_equal(session.labels.array, edited) and window.editor.case.modified
