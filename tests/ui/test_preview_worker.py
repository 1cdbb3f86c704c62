"""*Fill between slices* (and *Grow from seeds*) compute their preview in a worker, on a copy of the
label map: on an oblique view it took 1.2 s on the GUI thread, which froze the window. A result
that is stale when it arrives (a stroke, Ctrl+Z or Esc came meanwhile, or a newer Preview) is
dropped; the others are shown as before (tests/ui/test_oblique_fill_between.py checks the voxels).

Each test holds the tool's real ``propose`` in the worker until the test lets it go, so what the
user does meanwhile is certain to come first."""

from __future__ import annotations

import numpy as np
from editor_helpers import held_in_workers, shortcut, stroke
from PySide6.QtCore import Qt
from test_oblique_editing import open_oblique
from test_oblique_fill_between import wheel

from neuroview.core.edit import InterpolateTool


def _two_discs(qtbot, window, tmp_path):
    """An oblique series with discs drawn on two axial planes 4 slices apart, Fill between slices
    chosen: (session, a point between the discs)."""
    session, volume = open_oblique(qtbot, window, tmp_path, shape=(40, 40, 24))
    state = window.controller.state
    window.controller.set_crosshair(volume.center_ras)
    near = state.crosshair_ras.copy()
    panel = window.edit_actions.panel
    panel.select_tool("paint")
    session.set_params("paint", radius_mm=8.0, mode="2d")
    stroke(window, "axial", [near])
    for _ in range(4):
        wheel(window, "axial", near)
    stroke(window, "axial", [state.crosshair_ras.copy()])
    panel.select_tool("interpolate")
    window.controller.active_view = "axial"
    return session, near + 2 * (state.crosshair_ras - near) / 4


def _ask_preview(qtbot, window, calls):
    window.edit_actions.panel.preview_button.click()
    qtbot.waitUntil(lambda: calls != [], timeout=10000)
    assert calls == [False]                                   # computed by a worker
    assert window.editor.computing_preview and window.controller.preview_labels is None


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
    qtbot.waitUntil(lambda: not window.editor.computing_preview, timeout=30000)
    qtbot.wait(300)                                           # the worker's result has come back
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
    qtbot.wait(500)
    assert window.controller.preview_labels is None and not window.editor.has_preview()
    np.testing.assert_array_equal(session.labels.array, drawn)

    release.clear()
    calls.clear()
    _ask_preview(qtbot, window, calls)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)     # Ctrl+Z: the second disc goes
    undone = session.labels.array.copy()
    assert undone.sum() < drawn.sum()
    release.set()
    qtbot.wait(500)
    assert window.controller.preview_labels is None and not window.editor.has_preview()
    np.testing.assert_array_equal(session.labels.array, undone)   # one step undone, no more
