"""A CT opened again shows its views as the reader left them, as a PACS viewer reopens a study:
the window/level preset, the slab (MIP 10 mm), the slices, zoom and pan, and the 3D view's
camera. Until session 41 a reopen gave back only the layout (the window's, for every image):
File > Close, then File > Recent or Open, showed the brain window, thin slices, the middle slice,
unzoomed, and the front 3D view. Kept by the image's voxel hash, never its name or path."""

from __future__ import annotations

import numpy as np
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt

from neuroview.io.nifti import save_nifti
from neuroview.paths import user_data_path


def _head_ct(folder, name: str, shift: int = 0):
    """A small head CT in HU (air, skull 1000, brain 35, a 'vessel' of 300) at 0.9x0.9x2 mm."""
    x = np.arange(48) - 23.5
    r = np.hypot(*np.meshgrid(x, x, indexing="ij"))
    slab = np.where(r < 20, 1000, -1000)
    slab = np.where(r < 17, 35, slab)
    data = np.repeat(slab[:, :, None], 20, axis=2).astype(np.int16)
    data[24 + shift, 10:38, 5:15] = 300
    path = folder / name
    save_nifti(data, np.diag([0.9, 0.9, 2.0, 1.0]), path)
    return path


def _open(qtbot, window, path):
    window.open_paths([path])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy
                    and window.editor.session is not None, timeout=30000)
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d.shows_open_image and view3d.rgb is not None, timeout=30000)


def _views(window):
    state = window.controller.state
    return {"crosshair": state.crosshair_ras.round(3).tolist(),
            "wl": (state.window, state.level),
            "zoom": {p: round(v.zoom, 4) for p, v in state.views.items()},
            "pan": {p: v.pan_mm.round(3).tolist() for p, v in state.views.items()},
            "slabs": dict(state.slabs),
            "camera": np.round(np.concatenate([np.ravel(c) for c in window.view3d.camera()]), 3).tolist(),
            "title": window.slice_views["axial"].title()}


def test_a_ct_reopened_shows_its_views_as_left(qtbot, window, tmp_path):
    ct, other = _head_ct(tmp_path, "head_ct.nii.gz"), _head_ct(tmp_path, "other_ct.nii.gz", 3)
    _open(qtbot, window, ct)
    first = _views(window)
    axial = window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(axial.width() // 2, axial.height() // 2))
    type_key(window, Qt.Key_4)                     # bone 2000/500
    for _ in range(3):
        type_key(window, Qt.Key_PageUp)            # three slices up
    type_key(window, Qt.Key_Equal)                 # zoom in a quarter
    window.controller.state.pan_by("axial", 12.0, -7.0, (axial.width(), axial.height()))
    type_key(window, Qt.Key_M)                     # MIP 10 mm in every slice view
    window.view3d.turn_camera(40.0, 15.0)
    left = _views(window)
    assert left["wl"] == (2000.0, 500.0) and left["title"] == "Axial · MIP 10 mm"
    for part in ("crosshair", "wl", "zoom", "pan", "slabs", "camera"):
        assert left[part] != first[part], part     # each was changed by the reader

    window.close_image()                           # File > Close, then the same CT again
    _open(qtbot, window, ct)
    assert _views(window) == left

    type_key(window, Qt.Key_1)                     # brain 80/40, then another CT replaces it
    left = _views(window)
    _open(qtbot, window, other)
    fresh = _views(window)                         # its own views, as at first
    assert (fresh["wl"], fresh["zoom"], fresh["camera"]) == (first["wl"], first["zoom"],
                                                             first["camera"])
    _open(qtbot, window, ct)
    assert _views(window) == left and left["wl"] == (80.0, 40.0)

    stored = (user_data_path() / "views.json").read_text()
    assert "head_ct" not in stored and str(tmp_path) not in stored   # no name, no path


def test_views_kept_when_the_window_quits(qtbot, window, second_window, tmp_path):
    """Quit with the CT on screen; the next start's window opens it as it was left."""
    ct = _head_ct(tmp_path, "head_ct.nii.gz")
    _open(qtbot, window, ct)
    window.controller.set_window_level(1500.0, -600.0)   # the lung window
    window.controller.scroll("axial", -4)
    window.view3d.turn_camera(-30.0, 0.0)
    left = _views(window)
    window.close()
    _open(qtbot, second_window, ct)
    assert _views(second_window) == left
