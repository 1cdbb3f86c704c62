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
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct, write_perfusion_ct  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

OUTSIDE = "outside the scanned field (no value; drawn as air)"


def _read_at(qtbot, window, ijk) -> str:
    volume = window.controller.volume
    point = volume.ijk_to_ras_points(np.array(ijk, dtype=float))
    window.controller.set_crosshair(point)
    axial = window.slice_views["axial"]
    window.readout.clear()   # the same text again (another time point) is a new reading
    pos = QPointF(*np.rint(pixel_of(window, "axial", point)))
    QApplication.sendEvent(axial, QMouseEvent(QEvent.MouseMove, pos, axial.mapToGlobal(pos),
                                              Qt.NoButton, Qt.NoButton, Qt.NoModifier))
    qtbot.waitUntil(lambda: window.readout.text() != "", timeout=10000)
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


def test_a_4d_cts_padding_reads_outside_the_scanned_field_at_each_time_point(qtbot, window,
                                                                             tmp_path):
    folder, hus = write_perfusion_ct(tmp_path)   # time point 2's field is smaller
    open_image(qtbot, window, folder)
    assert window.controller.volume.n_frames == 2
    ring = next(ij for ij in np.ndindex(48, 48) if np.isfinite(hus[0][(*ij, 2)])
                and np.isnan(hus[1][(*ij, 2)]))           # scanned at time point 1 only
    assert np.isnan(hus[0][1, 1, 2])
    assert _read_at(qtbot, window, (1, 1, 2)).endswith("  " + OUTSIDE)  # was value -1024 HU
    assert _read_at(qtbot, window, (*ring, 2)).endswith(f"  value {hus[0][(*ring, 2)]:.0f} HU")
    window.controller.set_frame(1)
    assert _read_at(qtbot, window, (1, 1, 2)).endswith("  " + OUTSIDE)
    assert _read_at(qtbot, window, (*ring, 2)).endswith("  " + OUTSIDE)
