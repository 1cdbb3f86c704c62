"""A 4D NIfTI: the notice bar says which time point is shown, and the Display panel's *Time point*
box shows another one: the pixels on screen are those of that frame (compared with the same frame
saved as a 3D file and opened on its own), and the status bar reads that frame's voxel value."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt

from neuroview.io.nifti import save_nifti

AFFINE = np.diag([2.0, 2.0, 2.0, 1.0])
SHAPE = (24, 20, 16)


def frames() -> np.ndarray:
    """Three time points with the same intensities (the same automatic window) in other places."""
    rng = np.random.default_rng(4)
    first = np.zeros(SHAPE, np.float32)
    first[4:12, 3:9, :] = 300.0
    first += rng.random(SHAPE, np.float32) * 50
    return np.stack([np.roll(first, 7 * t, axis=0) for t in range(3)], axis=-1)


def shown(window, plane="axial") -> np.ndarray:
    view = window.slice_views[plane]
    view.repaint()
    image = view.grab().toImage().convertToFormat(view.grab().toImage().Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(h, image.bytesPerLine())
    return data[:, : 3 * w].reshape(h, w, 3).copy()


def open_and_wait(qtbot, window, path) -> None:
    window.open_paths([path])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy
                    and window.controller.volume.source_path == str(path), timeout=30000)


def brightness_at(window, ijk, plane="axial") -> float:
    """The grey level on screen at the centre of voxel ``ijk`` (mean of a 3x3 pixel patch)."""
    view = window.slice_views[plane]
    p_ras = AFFINE[:3, :3] @ np.asarray(ijk, float) + AFFINE[:3, 3]
    x, y = window.controller.state.geometry(plane, view.width(), view.height()).ras_to_pixel(p_ras)
    rgb = shown(window, plane)
    return float(rgb[int(y) - 1:int(y) + 2, int(x) - 1:int(x) + 2].mean())


def test_time_point_box_shows_that_frame(qtbot, window, tmp_path):
    data = frames()
    path = tmp_path / "fmri.nii.gz"
    save_nifti(data, AFFINE, path)
    open_and_wait(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "showing time point 1 of 3" in bar.text and "Time point" in bar.text
    box = window.display_panel.frame_box
    assert box.isVisibleTo(window.display_panel) and box.maximum() == 3 and box.value() == 1
    k = window.controller.volume.ras_to_voxel(window.controller.state.crosshair_ras)[2]
    in_first, in_third = (8, 5, k), (20, 5, k)          # bright in frame 1 only, in frame 3 only
    assert data[in_first + (0,)] > 250 > data[in_first + (2,)]
    assert data[in_third + (2,)] > 250 > data[in_third + (0,)]
    assert brightness_at(window, in_first) > 150 > 80 > brightness_at(window, in_third)

    box.setFocus()
    qtbot.keyClick(box, Qt.Key_Up)
    qtbot.keyClick(box, Qt.Key_Up)
    assert box.value() == 3 and window.controller.state.frame == 2
    assert "showing time point 3 of 3" in bar.text
    assert brightness_at(window, in_third) > 150 > 80 > brightness_at(window, in_first)
    # every slice view shows the chosen time point: through a voxel of frame 3's bright block
    window.controller.set_crosshair(AFFINE[:3, :3] @ np.array([19.0, 5.0, 8.0]))
    for plane, bright, dark in (("coronal", (21, 5, 4), (8, 5, 4)), ("sagittal", (19, 7, 4), (19, 14, 4))):
        assert brightness_at(window, bright, plane) > 150 > 80 > brightness_at(window, dark, plane), plane

    p_ras = window.controller.state.crosshair_ras
    value = float(re.search(r"value (\S+)", window.controller.readout(p_ras)).group(1))
    ijk = window.controller.volume.ras_to_voxel(p_ras)
    assert np.isclose(value, data[ijk + (2,)], rtol=1e-5)
    assert not np.isclose(value, data[ijk + (0,)], rtol=1e-5)


def test_a_3d_image_has_no_time_point_box_nor_note(qtbot, window, tmp_path):
    path = tmp_path / "plain.nii.gz"
    save_nifti(frames()[..., 0], AFFINE, path)
    open_and_wait(qtbot, window, path)
    qtbot.wait(100)
    assert not window.display_panel.frame_box.isVisibleTo(window.display_panel)
    assert "time point" not in window.notice_bar.text
