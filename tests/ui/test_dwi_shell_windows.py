"""A DWI's b=1000 volumes at their own window, as a PACS shows them: the window opened on the
b=0 volume (signal 1000-2000 here) drew the b=1000 ones (200-400, their lesion 600) black;
the volumes of one b-value share one window, and a window set on a b-value is found again there
(``app.shell_windows``)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import grab, shortcut
from frame_images import AFFINE, SHAPE, open_and_wait
from PySide6.QtCore import Qt

from neuroview.app.frames import frame_volume
from neuroview.app.view_presets import AUTO, auto_window_level


def _dwi(tmp_path):
    rng = np.random.default_rng(3)
    brain = np.zeros(SHAPE, np.float32)
    brain[4:20, 3:17, 2:14] = 1.0
    b0 = brain * (1000 + 1000 * rng.random(SHAPE, np.float32))
    b1000 = brain * (200 + 200 * rng.random(SHAPE, np.float32))
    b1000[10:14, 8:12, 6:10] = 600.0   # restricted diffusion: bright at b=1000 only
    path = tmp_path / "dwi.nii.gz"
    nib.save(nib.Nifti1Image(np.stack([b0, b1000, b1000 * 0.9], axis=-1), AFFINE), path)
    (tmp_path / "dwi.bval").write_text("0 1000 1000\n")
    return path


def _axial_brightness(window) -> float:
    """The mean grey of the axial view's pixels over the brain (its middle third)."""
    pixels = grab(window.slice_views["axial"]).astype(float)
    h, w = pixels.shape[:2]
    return float(pixels[h // 3: 2 * h // 3, w // 3: 2 * w // 3, :3].mean())


def test_each_b_value_has_its_own_window(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, _dwi(tmp_path))
    state, volume = window.controller.state, window.controller.volume
    b0_window = (state.window, state.level)
    assert b0_window == auto_window_level(frame_volume(volume, 0))
    shortcut(qtbot, window, Qt.Key_Right, Qt.AltModifier)   # volume 2, b = 1000
    assert window.display_panel.frame_box.text() == "2 of 3, b = 1000"
    assert (state.window, state.level) == auto_window_level(frame_volume(volume, 1))
    assert window.display_panel.preset_box.currentText() == AUTO
    qtbot.waitUntil(lambda: _axial_brightness(window) > 40, timeout=5000)   # it was black: 0

    window.controller.set_window_level(500.0, 350.0)   # the b=1000 window the reader sets
    shortcut(qtbot, window, Qt.Key_Right, Qt.AltModifier)   # volume 3: b = 1000 again
    assert (state.window, state.level) == (500.0, 350.0)
    window.display_panel.frame_box.setValue(1)   # back to b = 0: its own window again
    assert (state.window, state.level) == b0_window
    window.display_panel.frame_box.setValue(2)
    assert (state.window, state.level) == (500.0, 350.0)
    assert window.display_panel.window_box.value() == 500.0


def test_a_runs_time_points_share_one_window(qtbot, window, tmp_path):
    """A run (no b-values): stepping keeps the window, so the time points compare at one
    contrast."""
    data = np.stack([np.full(SHAPE, 100.0 * (t + 1), np.float32) for t in range(3)], axis=-1)
    data[::2] *= 0.5
    path = tmp_path / "run.nii.gz"
    nib.save(nib.Nifti1Image(data, AFFINE), path)
    open_and_wait(qtbot, window, path)
    state = window.controller.state
    before = (state.window, state.level)
    shortcut(qtbot, window, Qt.Key_Right, Qt.AltModifier)
    assert window.controller.state.frame == 1 and (state.window, state.level) == before
