"""*Compare series side by side...* of a 4D image shows the time point the main window shows, and
follows it there; its caption says which (``time point 3 of 3``). Until session 44 the left pane
showed time point 1 whatever the main window showed, with no word of it. Pixels against the
NIfTI's time point read back by nibabel at each pixel's RAS point."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import grab, open_image
from followup_drag import drag
from PySide6.QtCore import QPoint, Qt
from two_series import away_from_marks, compare_beside, values_at_pixels

from neuroview.app import view_presets
from neuroview.io import registration
from neuroview.render.slices import window_to_gray

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

AFFINE = np.diag([3.0, 3.0, 3.0, 1.0])


def _head() -> np.ndarray:
    """An ellipsoid head, 14 x 12 x 10 voxels, brighter along i (100-217)."""
    i, j, k = np.mgrid[0:14, 0:12, 0:10]
    return (((i - 6.5) / 6) ** 2 + ((j - 5.5) / 5) ** 2 + ((k - 4.5) / 4) ** 2 < 1) * (100.0 + 9 * i)


def _registered_as_is(monkeypatch) -> None:
    """No frame of reference in a NIfTI: registered; here the transform it finds, the identity."""
    monkeypatch.setattr(registration, "register", lambda *_a, **_k: registration.Registration(
        np.eye(4), "rigid", -0.9, 10))


def _pane_is(pair, image, t: int, right: bool) -> None:
    """The left (``right``: right) pane draws time point ``t`` of ``image`` (the NIfTI read back by
    nibabel), at window 3000 / level 1500, within 2 grey levels at each pixel."""
    pair.repaint()
    shown, (w, h) = grab(pair).astype(int), pair.pane_size()
    geom = pair.state.geometry(pair.plane, w, h)
    written = SimpleNamespace(values=np.asarray(image.dataobj)[..., t], ijk_to_ras=image.affine)
    values, inside = values_at_pixels(geom, written)
    where = inside & (values > 0) & away_from_marks(geom, pair.state.crosshair_ras)
    assert where.sum() > 2000
    expected = window_to_gray(values, 3000.0, 1500.0).astype(int)
    pane = shown[:h, shown.shape[1] - w:] if right else shown[:h, :w]
    assert np.abs(pane[where] - expected[where, None]).max() <= 2


def test_the_left_pane_shows_and_follows_the_main_windows_time_point(qtbot, window, tmp_path,
                                                                     monkeypatch):
    head = _head()
    run = tmp_path / "run.nii.gz"
    nib.save(nib.Nifti1Image(np.stack([head * (t + 1) for t in range(3)], -1).astype(np.float32),
                             AFFINE), run)
    other = tmp_path / "t2.nii.gz"
    nib.save(nib.Nifti1Image(head.astype(np.float32) * 5, AFFINE), other)
    _registered_as_is(monkeypatch)
    open_image(qtbot, window, run)
    window.controller.set_frame(2)                      # time point 3 in the main window
    view = compare_beside(qtbot, window, other)
    pair = view.pair
    assert pair.captions() == ("run (time point 3 of 3)", "t2")
    view.left_wl.boxes.apply(3000.0, 1500.0)
    image = nib.load(run)

    _pane_is(pair, image, 2, right=False)
    window.controller.set_frame(0)                      # the main window back to time point 1
    assert pair.captions()[0] == "run (time point 1 of 3)"
    _pane_is(pair, image, 0, right=False)


def test_alt_arrows_step_a_4d_other_series(qtbot, window, tmp_path, monkeypatch):
    """A 4D *other* series showed only its first time point, with no way to step it (until
    session 44): Alt+Right / Alt+Left, the main window's time-point keys, step it, said in its
    caption; the main window's own time point stays."""
    head = _head()
    t1 = tmp_path / "t1.nii.gz"
    nib.save(nib.Nifti1Image(head.astype(np.float32), AFFINE), t1)
    run = tmp_path / "run.nii.gz"
    nib.save(nib.Nifti1Image(np.stack([head * (t + 1) for t in range(3)], -1).astype(np.float32),
                             AFFINE), run)
    _registered_as_is(monkeypatch)
    open_image(qtbot, window, t1)
    view = compare_beside(qtbot, window, run)
    view.activateWindow()
    qtbot.waitExposed(view)
    pair = view.pair
    assert pair.captions() == ("t1", "run (time point 1 of 3, Alt+Right / Alt+Left)")
    view.right_wl.boxes.apply(3000.0, 1500.0)
    image = nib.load(run)

    _pane_is(pair, image, 0, right=True)
    for key, t in ((Qt.Key_Right, 1), (Qt.Key_Right, 2), (Qt.Key_Right, 2), (Qt.Key_Left, 1)):
        qtbot.keyClick(pair, key, Qt.AltModifier)
        assert pair.captions()[1] == f"run (time point {t + 1} of 3, Alt+Right / Alt+Left)"
    _pane_is(pair, image, 1, right=True)
    assert window.controller.state.frame == 0


def test_the_panes_windows_range_over_every_time_point(qtbot, window, tmp_path, monkeypatch):
    """Two 4D runs whose first time point is faint (0-0.2) and the others bright (0-2200): each
    pane's Window box reads as the main window's (1 decimal, not 4: the range of time point 1
    alone until session 47), and a window/level drag from a narrow window opens it as over the
    main window's views (by 1/50000 of every time point's range a pixel at least)."""
    head = _head()
    runs = []
    for name in ("run_a", "run_b"):
        runs.append(tmp_path / f"{name}.nii.gz")
        frames = [head * 0.001, head * 5, head * 10]
        nib.save(nib.Nifti1Image(np.stack(frames, -1).astype(np.float32), AFFINE), runs[-1])
    _registered_as_is(monkeypatch)
    ranged, read_range = [], view_presets._range
    monkeypatch.setattr(view_presets, "_range", lambda array: ranged.append(
        threading.current_thread() is threading.main_thread()) or read_range(array))
    open_image(qtbot, window, runs[0])
    view = compare_beside(qtbot, window, runs[1])
    assert ranged and not any(ranged)   # read by the workers, never on the GUI thread
    main_box = window.display_panel.window_box
    assert main_box.decimals() == 1
    for wl in (view.left_wl, view.right_wl):
        wl.boxes.apply(1234.5, 600.0)
        assert wl.window_box.decimals() == 1 and wl.window_box.text() == "1234.5"
    pair = view.pair
    view.left_wl.button.setChecked(True)                   # F2: a left drag changes the window
    pair.set_right_window_level(0.5, 600.0)
    w, h = pair.pane_size()
    start = QPoint(w + w // 2, h // 2)
    drag(qtbot, pair, Qt.LeftButton, start, start + QPoint(100, 0))
    assert pair.right_state.window == pytest.approx(0.5 + 100 * head.max() * 10 / 50000, rel=0.01)
