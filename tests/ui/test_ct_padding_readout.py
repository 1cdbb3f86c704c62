"""The value under the pointer on a CT's padding (PixelPaddingValue: outside the scanned field of
view, read as air) read "value -1024 HU", as if air had been measured there, where a rectangle's
statistics leave those voxels out ("N voxels outside the scanned field left out"). It says so now;
air inside the field keeps its value. A GE head series (ct_maker: -2000 stored outside an 88 mm
field of view)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import open_image, pixel_of
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402


def _read_at(qtbot, window, ijk) -> str:
    volume = window.controller.volume
    point = volume.ijk_to_ras_points(np.array(ijk, dtype=float))
    window.controller.set_crosshair(point)
    axial = window.slice_views["axial"]
    before = window.readout.text()
    QTest.mouseMove(axial, QPoint(*map(int, np.rint(pixel_of(window, "axial", point)))))
    qtbot.waitUntil(lambda: window.readout.text() != before, timeout=10000)
    return window.readout.text()


def test_the_readout_over_a_cts_padding_says_outside_the_scanned_field(qtbot, window, tmp_path):
    written = write_ct(tmp_path / "ct")
    open_image(qtbot, window, written.folder)
    assert np.isnan(written.hu[1, 1, 2]) and written.hu[3, 24, 2] < -990   # padding; air inside
    corner = _read_at(qtbot, window, (1, 1, 2))
    assert corner.startswith("ijk (1, 1, 2)  RAS (")
    assert corner.endswith(" mm  outside the scanned field (no value; drawn as air)")  # was value -1024 HU
    air = _read_at(qtbot, window, (3, 24, 2))
    assert air.endswith(f"  value {written.hu[3, 24, 2]:.0f} HU")
