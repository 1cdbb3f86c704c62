"""*Fill between slices* (and *Grow from seeds*) compute their preview in a worker, on a copy of the
label map: on an oblique view it took 1.2 s on the GUI thread, which froze the window. A result
that is stale when it arrives (a stroke, Ctrl+Z or Esc came meanwhile, or a newer Preview) is
dropped; the others are shown as before (tests/ui/test_oblique_fill_between.py checks the voxels).

Each test holds the tool's real ``propose`` in the worker until the test lets it go, so what the
user does meanwhile is certain to come first."""

from __future__ import annotations

import numpy as np
from editor_helpers import held_in_workers, shortcut, stroke
from preview_cases import _ask_preview, _two_discs
from PySide6.QtCore import Qt

from neuroview.core.edit import InterpolateTool
from neuroview.ui.workers import JobRunner

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _result_back(qtbot, window) -> None:
    """The preview's worker has handed its result to the GUI thread (shown or dropped there)."""
    runners = window.editor.findChildren(JobRunner)
    assert runners, "no preview worker"
    qtbot.waitUntil(lambda: not any(runner.busy for runner in runners), timeout=10000)


def test_the_preview_is_computed_off_the_gui_thread_and_then_shown(qtbot, window, tmp_path, monkeypatch):
    session, between = _two_discs(qtbot, window, tmp_path)
    drawn = session.labels.array.copy()
    calls, release = held_in_workers(monkeypatch, InterpolateTool, "propose")
    _ask_preview(qtbot, window, calls)
    assert window.edit_actions.panel.cancel_button.isEnabled()   # Cancel (Esc) may drop it
    release.set()
    qtbot.waitUntil(lambda: window.controller.preview_labels is not None, timeout=30000)
    shown = window.controller.preview_labels.array
    assert ((shown == 1) & (drawn == 0)).sum() > 50               # the slices between filled
    np.testing.assert_array_equal(session.labels.array, drawn)   # nothing written until Apply
    window.edit_actions.panel.apply_button.click()
    np.testing.assert_array_equal(session.labels.array, shown)


def test_a_stroke_while_the_preview_is_computed_drops_it(qtbot, window, tmp_path, monkeypatch):
    session, between = _two_discs(qtbot, window, tmp_path)
    calls, release = held_in_workers(monkeypatch, InterpolateTool, "propose")
    _ask_preview(qtbot, window, calls)
    before = session.labels.array.copy()
    window.edit_actions.panel.select_tool("paint")
    window.controller.set_crosshair(between)
    stroke(window, "axial", [between])                        # painted while it is computed
    after_stroke = session.labels.array.copy()
    assert (after_stroke != before).any()
    release.set()
    _result_back(qtbot, window)
    assert window.controller.preview_labels is None and not window.editor.has_preview()
    np.testing.assert_array_equal(session.labels.array, after_stroke)


def test_esc_and_ctrl_z_while_the_preview_is_computed(qtbot, window, tmp_path, monkeypatch):
    session, _ = _two_discs(qtbot, window, tmp_path)
    drawn = session.labels.array.copy()
    calls, release = held_in_workers(monkeypatch, InterpolateTool, "propose")
    _ask_preview(qtbot, window, calls)
    shortcut(qtbot, window, Qt.Key_Escape)                    # Esc: the preview is not wanted
    assert not window.editor.computing_preview
    release.set()
    _result_back(qtbot, window)
    assert window.controller.preview_labels is None and not window.editor.has_preview()
    np.testing.assert_array_equal(session.labels.array, drawn)

    release.clear()
    calls.clear()
    _ask_preview(qtbot, window, calls)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)     # Ctrl+Z: the second disc goes
    undone = session.labels.array.copy()
    assert undone.sum() < drawn.sum()
    release.set()
    _result_back(qtbot, window)
    assert window.controller.preview_labels is None and not window.editor.has_preview()
    np.testing.assert_array_equal(session.labels.array, undone)   # one step undone, no more
