"""A 4D overlay series (an fMRI run, a DWI's volumes) over the image: the Display panel's
*Overlay time point* row and **Alt+Shift+Right** / **Alt+Shift+Left** choose the time point the
slice views draw, and the status bar's ``overlay VALUE`` reads it. Until session 44 only its first
time point was drawn."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, grab, open_image, shortcut, write_image
from four_d_run import FRAMES, write_run
from PySide6.QtCore import Qt

from neuroview.render.fusion import hot_colors


def _drawn(window):
    """The axial view's pixel at INSIDE_CASE_RAS (the crosshair hidden), painted now."""
    view = window.slice_views["axial"]
    window.controller.changed.emit()
    view.repaint()
    geom = window.controller.state.geometry("axial", view.width(), view.height())
    x, y = np.floor(geom.ras_to_pixel(INSIDE_CASE_RAS)).astype(int) + 3   # inside the box
    return grab(view)[y, x].astype(int)


def test_the_overlays_time_point_is_chosen_by_its_row_and_keys(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    window.fusion.overlay_path(write_run(tmp_path, volume), aligned=True)   # a NIfTI: Overlay anyway
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    layer, panel = window.controller.state.fusion, window.display_panel
    box = panel.fusion_row.frame_box
    assert box.isVisibleTo(panel) and (box.minimum(), box.maximum(), box.value()) == (1, 3, 1)
    assert panel.form.labelForField(box).text() == "Overlay time point"
    assert window.notice_bar.text == (
        "Overlay: run (O hides it, Shift+O / Alt+O more / less opaque, Alt+Shift+Right / "
        "Alt+Shift+Left its time point; its opacity, colours and window in the Display panel).")
    layer.set_opacity(1.0)
    layer.window, layer.level = 400.0, 200.0
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.controller.set_crosshair_shown(False)

    def shows(t):
        expected = (hot_colors(FRAMES[t], 400.0, 200.0) + 0.5).astype(int)
        np.testing.assert_allclose(_drawn(window), expected, atol=3)
        assert f"overlay {FRAMES[t]:.0f}" in window.controller.readout(INSIDE_CASE_RAS)

    shows(0)
    shortcut(qtbot, window, Qt.Key_Right, Qt.ShiftModifier | Qt.AltModifier)   # the next one
    assert layer.frame == 1 and box.value() == 2
    assert window.statusBar().currentMessage().startswith("Overlay time point 2 of 3")
    shows(1)
    box.setValue(3)                                                   # the row: the last one
    assert layer.frame == 2
    shows(2)
    shortcut(qtbot, window, Qt.Key_Right, Qt.ShiftModifier | Qt.AltModifier)   # stops at the end
    assert layer.frame == 2
    shortcut(qtbot, window, Qt.Key_Left, Qt.ShiftModifier | Qt.AltModifier)
    shortcut(qtbot, window, Qt.Key_Left, Qt.ShiftModifier | Qt.AltModifier)
    assert layer.frame == 0 and box.value() == 1
    shows(0)
    assert window.controller.state.frame == 0   # the image's own time point is not the overlay's


def test_a_3d_overlay_has_no_time_point_row(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    window.fusion.overlay_path(path, aligned=True)
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    panel = window.display_panel
    assert panel.fusion_row.isVisibleTo(panel)
    assert not panel.fusion_row.frame_box.isVisibleTo(panel)
    assert not window.fusion.next_action.isEnabled()
