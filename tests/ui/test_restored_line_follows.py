"""After *Restore* the notice bar's line says what Ctrl+Z does to the edits that came back; once
the user edits (or undoes) after it, that line keeps what came back and drops the instruction: it
still said "Ctrl+Z undoes them, back to the last save only" after a stroke and an AI click made
since, whose Ctrl+Z undid the newest edit, not the restored ones."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, save_and_wait, stroke, wait_for_session
from PySide6.QtCore import Qt
from quit_windows import new_window, paint  # noqa: F401  (new_window: a fixture)

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

RESTORED = "Restored the unsaved labels: 2 edits since the last save are back"


def _restored(qtbot, window, tmp_path, new_window):  # noqa: F811
    """Paint, save, two strokes left unsaved, the image closed; a new window restores them."""
    path, _ = paint(qtbot, window, tmp_path)
    save_and_wait(window, tmp_path / "labels.nii.gz")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, -6.0, 0], INSIDE_CASE_RAS + [6.0, -6.0, 0]])
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, -10.0, 0], INSIDE_CASE_RAS + [6.0, -10.0, 0]])
    window.edit_actions.close_case()
    again = new_window()
    open_image(qtbot, again, path)
    bar = again.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    session = wait_for_session(qtbot, again)
    assert bar.text == f"{RESTORED} (Ctrl+Z undoes them, back to the last save only)"
    return again, session


def test_a_stroke_after_the_restore_takes_the_ctrl_z_words_away(qtbot, window, tmp_path, new_window):  # noqa: F811
    again, session = _restored(qtbot, window, tmp_path, new_window)
    again.controller.set_crosshair(INSIDE_CASE_RAS)
    again.edit_actions.panel.select_tool("paint")
    before = session.labels.array.copy()
    stroke(again, "axial", [INSIDE_CASE_RAS + [0, 8.0, 0], INSIDE_CASE_RAS + [6.0, 8.0, 0]])
    assert not np.array_equal(session.labels.array, before)
    assert again.notice_bar.text == f"{RESTORED}."
    session.undo()                                   # the stroke, not a restored edit
    assert np.array_equal(session.labels.array, before)
    assert again.notice_bar.text == f"{RESTORED}."


def test_an_undo_after_the_restore_takes_them_away_too(qtbot, window, tmp_path, new_window):  # noqa: F811
    again, _session = _restored(qtbot, window, tmp_path, new_window)
    again.editor.undo()
    assert again.notice_bar.text == f"{RESTORED}."
