"""Opening a case for the angle tool and clicking its points: helpers that test_angle_edit.py and the
tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from render_cases import AFFINES, make_case

from neuroview.io.nifti import save_nifti


def open_case(qtbot, window, tmp_path, affine="ras"):
    volume, _ = make_case(AFFINES[affine])
    save_nifti(volume.array, volume.ijk_to_ras, tmp_path / "image.nii.gz")
    window.open_paths([tmp_path / "image.nii.gz"])
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    views = window.slice_views.values()
    qtbot.waitUntil(lambda: all(v.last is not None for v in views), timeout=10000)


def clicks(qtbot, view, points):
    for x, y in points:
        qtbot.mouseClick(view, Qt.LeftButton, pos=QPoint(x, y))
