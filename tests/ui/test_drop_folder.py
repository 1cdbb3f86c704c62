"""A DICOM folder dragged from a file manager onto the window opens, as File > Open folder does
(the drop lands on a slice view, which takes no drops: the window gets it). A guard: drops had no
test."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_dropped_dicom_folder_opens(qtbot, window, tmp_path, mni_volume):
    folder = write_series(tmp_path / "ct", mni_volume, SeriesSpec(modality="CT", n_slices=6)).folder
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    axial = window.slice_views["axial"]
    assert not axial.acceptDrops()   # so the window under it takes the drop
    at = QPointF(axial.mapTo(window, QPoint(40, 40)))
    enter = QDragEnterEvent(at.toPoint(), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(at, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=30000)
    assert window.controller.volume.shape == (56, 64, 6)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
