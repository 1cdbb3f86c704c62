"""Run by test_hidpi.py in a Python of its own with ``QT_SCALE_FACTOR=2`` (the ratio is fixed when
the QApplication starts): opens a grid image whose every voxel has its own value in the main
window and prints, as JSON, what the axial view shows and reads at a device pixel ratio of 2."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import nibabel as nib
import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from neuroview.core import geometry
from neuroview.render.sampling import sample_plane


def pump(app, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.02)


def mouse(view, kind, x, y, button=Qt.NoButton) -> None:
    pos = QPointF(x, y)
    buttons = Qt.NoButton if kind == QEvent.MouseButtonRelease else button
    QApplication.sendEvent(view, QMouseEvent(kind, pos, view.mapToGlobal(pos), button, buttons,
                                             Qt.NoModifier))


def main(folder: Path) -> dict:
    app = QApplication([])
    from neuroview.ui.main_window import MainWindow

    shape = (60, 64, 40)
    affine = np.diag([0.9, 0.9, 2.0, 1.0])
    nib.save(nib.Nifti1Image(np.arange(np.prod(shape), dtype=np.int32).reshape(shape), affine),
             folder / "grid.nii.gz")
    window = MainWindow()
    window.resize(1000, 760)
    window.show()
    window.controller.set_interpolate(False)
    window.open_paths([folder / "grid.nii.gz"])
    end = time.time() + 60
    while (window.controller.volume is None or window.runner.busy) and time.time() < end:
        pump(app, 0.1)
    view, volume = window.slice_views["axial"], window.controller.volume
    window.controller.state.views["axial"].zoom = 0.3   # a voxel: about 3 screen pixels
    window.controller.changed.emit()
    view.repaint()
    pump(app, 0.3)
    grab = view.grab().toImage().convertToFormat(QImage.Format_RGB888)
    gw, gh = grab.width(), grab.height()
    grabbed = np.frombuffer(grab.constBits(), np.uint8).reshape(gh, grab.bytesPerLine())[:, :3 * gw]
    shown = np.asarray(view.last.rgb).reshape(view.last.rgb.shape[0], -1)
    ids = np.arange(volume.array.size, dtype=np.int64).reshape(volume.shape)
    ratio = view.devicePixelRatioF()
    screen = window.controller.state.geometry("axial", round(view.width() * ratio),
                                              round(view.height() * ratio))
    drawn, inside = sample_plane(ids, volume.ras_to_ijk, screen, order=0)   # each screen pixel's voxel
    drawn = np.where(inside, drawn, -1)
    spots, read, clicked = [], [], []
    cx, cy = view.width() // 2 + 7, view.height() // 2 + 5
    for x in np.arange(cx, cx + 8, 0.25):
        for y in np.arange(cy, cy + 4, 0.5):
            spots.append(int(drawn[int(np.floor(y * ratio)), int(np.floor(x * ratio))]))
            mouse(view, QEvent.MouseMove, x, y)
            found = re.search(r"value (\d+)", window.readout.text())
            read.append(int(found.group(1)) if found else -1)
            mouse(view, QEvent.MouseButtonPress, x, y, Qt.LeftButton)
            mouse(view, QEvent.MouseButtonRelease, x, y, Qt.LeftButton)
            voxel = geometry.nearest_voxel(volume.ras_to_ijk, volume.shape,
                                           window.controller.state.crosshair_ras)
            clicked.append(int(np.ravel_multi_index(voxel, volume.shape)))
    result = {"ratio": ratio, "widget": [view.width(), view.height()],
              "picture": list(view.last.rgb.shape[:2]), "grab": [gh, gw],
              "same_as_picture": float(np.mean(grabbed == shown)) if grabbed.shape == shown.shape else 0.0,
              "drawn": spots, "read": read, "clicked": clicked}
    window.edit_actions.close_case(set_workspace_aside=False)
    window.runner.wait(5000)
    return result


if __name__ == "__main__":
    print("RESULT " + json.dumps(main(Path(sys.argv[1]))))
