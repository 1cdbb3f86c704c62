"""A series whose header says CT but whose numbers are not Hounsfield units (air near 0, brain
near 1060: RescaleIntercept 0 where it should be -1024, as some cone-beam CTs write them) opens at
*Auto* (tests/app/test_ct_opening_window.py); the pointer's readout still said "value 1059 HU"
on its brain, and a rectangle's statistics "mean 1059.0 HU". Both show the plain value now,
asked once per image (the readout runs on every mouse move)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pydicom
from editor_helpers import open_image, pixel_of
from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor
from PySide6.QtTest import QTest

from neuroview.app import view_presets
from neuroview.app.view_measure import rectangle_statistics

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _series(folder: Path, intercept: str) -> Path:
    written = write_ct(folder, unsigned=True, padding=0, size=48, spacing=3.5, fov_mm=200.0,
                       n_slices=4)
    for path in written.folder.glob("*.dcm"):
        ds = pydicom.dcmread(path)
        ds.RescaleIntercept = intercept
        ds.save_as(path)
    return written.folder


def _pointer_on_brain(qtbot, window) -> tuple[str, float]:
    """Move the pointer onto the axial view's centre (brain); the readout and the voxel's value."""
    volume = window.controller.volume
    centre = volume.ijk_to_ras_points(np.array([24.0, 24.0, 2.0]))
    window.controller.set_crosshair(centre)
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.width() > 100, timeout=5000)
    pos = QPoint(*map(int, pixel_of(window, "axial", centre)))
    QCursor.setPos(axial.mapToGlobal(pos))
    QTest.mouseMove(axial, pos)
    qtbot.waitUntil(lambda: window.readout.text().startswith("ijk"), timeout=5000)
    i, j, k = (int(n) for n in window.readout.text().split(")")[0][5:].split(", "))
    return window.readout.text(), float(volume.array[i, j, k])


def test_the_readout_of_a_ct_not_in_hu_says_no_unit(qtbot, window, tmp_path, monkeypatch):
    open_image(qtbot, window, _series(tmp_path / "cbct", "0"))
    volume = window.controller.volume
    assert volume.modality == "CT" and volume.intensity_unit == "HU"   # as its header says
    sampled = []
    real = view_presets.intensity_range
    monkeypatch.setattr(view_presets, "intensity_range", lambda v: sampled.append(1) or real(v))
    text, value = _pointer_on_brain(qtbot, window)
    assert 1000 < value < 1100                                  # 35 HU stored + 1024
    assert text.endswith(f"value {value:.0f}"), text
    for _ in range(3):                                          # moves: nothing sampled again
        assert window.controller.readout(volume.ijk_to_ras_points(np.array([20.0, 20.0, 1.0])))
    assert len(sampled) <= 1
    axes = volume.ijk_to_ras[:3, :3].T / np.asarray(volume.spacing)[:, None]   # i, j, k unit
    corners = volume.ijk_to_ras_points(np.array([[20.0, 20, 2], [28.0, 28, 2]]))
    box = rectangle_statistics(volume, *corners, *axes, 5.0)
    assert box.voxels == 81 and 1000 < box.mean < 1100
    assert box.unit == "" and " HU" not in " ".join(box.lines())


def test_the_same_series_in_hu_still_reads_hu(qtbot, window, tmp_path):
    open_image(qtbot, window, _series(tmp_path / "ct", "-1024"))
    text, value = _pointer_on_brain(qtbot, window)
    assert 20 < value < 50 and text.endswith(f"value {value:.0f} HU"), text
