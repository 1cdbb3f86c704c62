"""Rejecting a lesion in the Lesions list (a model's false positive): Reject or Delete on its row
removes that lesion only, as one undo step; a locked segment is refused in the red bar."""

from __future__ import annotations

import numpy as np
from lesion_lists import _click_row, list_of_two
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _list_of_two(qtbot, window, tmp_path):
    return list_of_two(qtbot, window, tmp_path)[1:]


def _row_of_small(panel) -> int:
    smallest = min(panel.components, key=lambda c: c.voxels).index
    return [panel.table.item(r, 0).data(Qt.UserRole) for r in range(2)].index(smallest)


def test_reject_button_removes_the_selected_lesion_only(qtbot, window, tmp_path):
    session, segment, big, small, panel = _list_of_two(qtbot, window, tmp_path)
    before = session.labels.array.copy()
    assert not panel.reject_button.isEnabled()      # no row chosen yet
    _click_row(qtbot, panel.table, _row_of_small(panel))
    assert panel.reject_button.isEnabled()
    qtbot.mouseClick(panel.reject_button, Qt.LeftButton)
    expected = before.copy()
    expected[small] = 0
    assert np.array_equal(session.labels.array, expected)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    assert panel.components[0].voxels == big.sum()
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Z, Qt.ControlModifier)   # Ctrl+Z: back
    assert np.array_equal(session.labels.array, before)


def test_delete_key_in_the_list_rejects_and_a_locked_segment_is_refused(qtbot, window, tmp_path):
    session, segment, big, small, panel = _list_of_two(qtbot, window, tmp_path)
    before = session.labels.array.copy()
    session.segments.lock(segment, True)
    _click_row(qtbot, panel.table, _row_of_small(panel))
    qtbot.keyClick(panel.table, Qt.Key_Delete)
    assert np.array_equal(session.labels.array, before)
    assert "locked" in window.message_bar.text
    session.segments.lock(segment, False)
    _click_row(qtbot, panel.table, _row_of_small(panel))
    qtbot.keyClick(panel.table, Qt.Key_Delete)
    expected = before.copy()
    expected[small] = 0
    assert np.array_equal(session.labels.array, expected)


def test_the_delete_key_is_listed_in_the_shortcuts(window):
    from neuroview.ui.help_menu import shortcut_rows

    rows = shortcut_rows(window.menuBar())
    assert any(where == "Lesions list" and keys == "Delete" and what.startswith("Reject")
               for where, what, keys in rows)


def test_reject_with_an_ai_click_object_in_progress_is_refused_and_keeps_it(qtbot, window, tmp_path):
    """Rejecting a lesion while an AI click object waits for Enter dropped the object and its
    prompts with no word (the label map changed under it), as a stroke did before it was refused.
    Now Reject is refused in one line, like a stroke; after Enter it works."""
    from editor_helpers import pixel_of, shortcut
    from PySide6.QtCore import QPoint

    session, segment, big, small, panel = _list_of_two(qtbot, window, tmp_path)
    window.edit_actions.panel.ai_backend.setCurrentIndex(1)          # grow from seeds: no torch
    window.edit_actions.panel.ai_backend.activated.emit(1)
    shortcut(qtbot, window, Qt.Key_K)
    far = session.volume.ijk_to_ras @ np.array([34.0, 10.0, 30.0, 1.0])   # away from both lesions
    window.controller.set_crosshair(far[:3])
    x, y = pixel_of(window, "axial", far[:3])
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, pos=QPoint(int(round(x)), int(round(y))))
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running,
                    timeout=30000)
    before = session.labels.array.copy()
    _click_row(qtbot, panel.table, _row_of_small(panel))
    qtbot.mouseClick(panel.reject_button, Qt.LeftButton)
    assert np.array_equal(session.labels.array, before)
    assert window.editor.has_preview() and len(session.prompting.prompts) == 1
    assert "AI click object" in window.message_bar.text
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert not window.editor.has_preview()
    _click_row(qtbot, panel.table, _row_of_small(panel))
    qtbot.mouseClick(panel.reject_button, Qt.LeftButton)
    assert not (session.labels.array[small] == segment.value).any()
