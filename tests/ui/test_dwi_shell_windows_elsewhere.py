"""A DWI's b-values each at their own window where the DWI is an overlay series
(Alt+Shift+Right / Alt+Shift+Left) or in *Compare series side by side* (the main window's
Alt+Right / Alt+Left for the left pane, the pane's own for the right one), as the main window's
views draw it (``app.shell_windows``, test_dwi_shell_windows.py). Until session 50 both drew the
b=1000 volumes at the window of the b=0 volume they opened at: black (its 200-400 below the b=0
window's lower end, 1000 and more)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import grab, open_image, shortcut
from frame_images import AFFINE, SHAPE
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from two_series import compare_beside

from neuroview.app.frames import frame_volume
from neuroview.app.fusion import automatic_window
from neuroview.app.view_presets import AUTO, auto_window_level
from neuroview.io import registration
from neuroview.render.fusion import hot_colors

BRAIN = (slice(4, 20), slice(3, 17), slice(2, 14))


def _dwi(tmp_path):
    """b = 0 (1000-2000 in the brain), then two b = 1000 volumes (200-400, 180-360)."""
    rng = np.random.default_rng(3)
    brain = np.zeros(SHAPE, np.float32)
    brain[BRAIN] = 1.0
    b0 = brain * (1000 + 1000 * rng.random(SHAPE, np.float32))
    b1000 = brain * (200 + 200 * rng.random(SHAPE, np.float32))
    path = tmp_path / "dwi.nii.gz"
    nib.save(nib.Nifti1Image(np.stack([b0, b1000, b1000 * 0.9], axis=-1), AFFINE), path)
    (tmp_path / "dwi.bval").write_text("0 1000 1000\n")
    t1 = tmp_path / "t1.nii.gz"
    nib.save(nib.Nifti1Image(brain * 500, AFFINE), t1)
    return path, t1


def _as_it_lies(monkeypatch) -> None:
    """No frame of reference in a NIfTI: registered; here to where it lies, the identity."""
    monkeypatch.setattr(registration, "register", lambda *_a, **_k: registration.Registration(
        np.eye(4), "rigid", -0.9, 10))


def _brain_grey(pixels, w, h) -> float:
    """The mean grey of a pane's middle third (the brain), of 255."""
    return float(pixels[h // 3: 2 * h // 3, w // 3: 2 * w // 3].astype(float).mean())


def test_an_overlays_b_values_each_have_their_own_window(qtbot, window, tmp_path):
    dwi, t1 = _dwi(tmp_path)
    open_image(qtbot, window, t1)
    window.fusion.overlay_path(dwi, aligned=True)   # a NIfTI: Overlay anyway
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    layer = window.controller.state.fusion
    layer.set_opacity(1.0)
    b0_window = (layer.window, layer.level)
    assert b0_window == automatic_window(frame_volume(layer.volume, 0))
    shortcut(qtbot, window, Qt.Key_Right, Qt.ShiftModifier | Qt.AltModifier)   # b = 1000
    assert layer.frame == 1
    assert (layer.window, layer.level) == automatic_window(frame_volume(layer.volume, 1))
    point = np.array([20.0, 20.0, 16.0])            # voxel (10, 10, 8), in the brain
    window.controller.set_crosshair(point)
    window.controller.set_crosshair_shown(False)
    view = window.slice_views["axial"]
    view.repaint()
    geom = window.controller.state.geometry("axial", view.width(), view.height())
    x, y = np.floor(geom.ras_to_pixel(point)).astype(int)
    value = layer.array[10, 10, 8]
    expected = (hot_colors(np.array([value]), layer.window, layer.level)[0] + 0.5).astype(int)
    assert expected.sum() > 200                     # drawn bright, not black at the b=0 window
    np.testing.assert_allclose(grab(view)[y, x].astype(int), expected, atol=3)

    window.display_panel.fusion_row.wl_boxes.apply(300.0, 250.0)   # the reader's b=1000 window
    shortcut(qtbot, window, Qt.Key_Right, Qt.ShiftModifier | Qt.AltModifier)   # b = 1000 again
    assert (layer.frame, layer.window, layer.level) == (2, 300.0, 250.0)
    window.display_panel.fusion_row.frame_box.setValue(1)   # back to b = 0: its window
    assert (layer.window, layer.level) == b0_window
    row = window.display_panel.fusion_row
    assert row.window_box.value() == round(b0_window[0], row.window_box.decimals())
    shortcut(qtbot, window, Qt.Key_Right, Qt.ShiftModifier | Qt.AltModifier)
    assert (layer.window, layer.level) == (300.0, 250.0)
    row.auto_button.click()        # Auto W/L: the b=1000 volume's own (it set the b=0 one's)
    assert (layer.window, layer.level) == automatic_window(frame_volume(layer.volume, 1))


def test_both_compare_panes_step_a_dwis_b_values_at_their_own_windows(qtbot, window, tmp_path,
                                                                      monkeypatch):
    dwi, t1 = _dwi(tmp_path)
    _as_it_lies(monkeypatch)
    open_image(qtbot, window, dwi)
    view = compare_beside(qtbot, window, dwi)        # the DWI beside itself: both panes 4D
    pair, volume = view.pair, window.controller.volume
    b0_window = (pair.state.window, pair.state.level)
    assert (pair.right_state.window, pair.right_state.level) == auto_window_level(
        frame_volume(pair.right, 0))

    shortcut(qtbot, window, Qt.Key_Right, Qt.AltModifier)   # the main window: b = 1000
    assert pair.frames[0] == 1
    assert (pair.state.window, pair.state.level) == auto_window_level(frame_volume(volume, 1))
    assert view.left_wl.window_box.value() == round(pair.state.window, 1)
    assert view.left_wl.preset_box.currentText() == AUTO   # its own automatic window: Custom
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=10000)
    qtbot.keyClick(pair, Qt.Key_Right, Qt.AltModifier)       # the right pane: b = 1000
    assert pair.frames[1] == 1
    assert (pair.right_state.window, pair.right_state.level) == auto_window_level(
        frame_volume(pair.right, 1))
    pair.repaint()
    shown, (w, h) = grab(pair), pair.pane_size()
    for pane in (shown[:h, :w], shown[:h, shown.shape[1] - w:]):
        assert _brain_grey(pane, w, h) > 60             # black at the b=0 window: under 5

    view.left_wl.boxes.apply(300.0, 250.0)
    window.controller.set_frame(0)                           # back to b = 0: the pane's b=0 window
    assert (pair.state.window, pair.state.level) == b0_window
    window.controller.set_frame(2)                           # b = 1000 again: the one set there
    assert (pair.state.window, pair.state.level) == (300.0, 250.0)
    view.left_wl.preset_box.setCurrentText(AUTO)             # Auto: volume 3's own (it set b=0's)
    assert (pair.state.window, pair.state.level) == auto_window_level(frame_volume(volume, 2))
