"""The preview worker's cases: two discs and a preview asked: helpers that test_preview_worker.py and
the tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

from editor_helpers import stroke
from oblique_views import open_oblique
from oblique_wheel import wheel


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
