"""Run by test_hidpi.py in a Python of its own with ``QT_SCALE_FACTOR`` set (the ratio is fixed
when the QApplication starts): opens a grid image whose every voxel has its own value in the main
window and prints, as JSON, what the axial and coronal views show, read, click and paint, then
what the 3D view shows of a synthetic head in that window (hidpi3d_check.py).

The pointer is put on window pixels as Qt gives them (window pixel ``X`` is ``X / ratio``
points); the voxel drawn there is found from the window's own picture: where the view's picture
lies in it (at 125 % a view at 442 points starts on pixel 553, not 552.5), then which voxel the
picture's pixel shows."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from neuroview.cli.lazy_imports import light_nibabel
from neuroview.core import geometry
from neuroview.render.sampling import sample_plane

with light_nibabel():   # as `neuroview FILE` imports it: without pydicom (0.25 s of CPU a ratio)
    import nibabel as nib


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


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format_RGB888)
    w, h = image.width(), image.height()
    return np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())[:, :3 * w] \
        .reshape(h, w, 3).copy()


def picture_origin(shot: np.ndarray, picture: np.ndarray, guess: tuple[int, int]) -> tuple:
    """Window pixel of the picture's top-left pixel (best match near ``guess``), and the match."""
    ph, pw = picture.shape[:2]
    inner = (slice(30, ph - 30), slice(30, pw - 30))   # clear of the title strip
    best = (-1.0, guess)
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            x0, y0 = guess[0] + dx, guess[1] + dy
            part = shot[y0:y0 + ph, x0:x0 + pw]
            if part.shape == picture.shape:
                best = max(best, (float(np.mean(part[inner] == picture[inner])), (x0, y0)))
    return best[1], best[0]


def check_view(app, window, plane: str, ids: np.ndarray) -> dict:
    view, volume, c = window.slice_views[plane], window.controller.volume, window.controller
    c.state.views[plane].zoom = 0.35   # a voxel: about 3 screen pixels
    c.changed.emit()
    view.repaint()
    pump(app, 0.3)
    ratio = view.devicePixelRatioF()
    grab = pixels(view.grab().toImage())
    shot = pixels(window.grab().toImage())   # the window as painted, views at their offsets
    picture = view.last.rgb
    ph, pw = picture.shape[:2]
    off = view.mapTo(window, QPoint(0, 0))
    (x0, y0), match = picture_origin(shot, picture, (round(off.x() * ratio), round(off.y() * ratio)))
    drawn, inside = sample_plane(ids, volume.ras_to_ijk, c.state.geometry(plane, pw, ph), order=0)
    drawn = np.where(inside, drawn, -1)   # each picture pixel's voxel
    spots, read, clicked = [], [], []
    for wx in range(x0 + pw // 2 + 3, x0 + pw // 2 + 27):
        for wy in range(y0 + ph // 2 + 2, y0 + ph // 2 + 8):
            spots.append(int(drawn[wy - y0, wx - x0]))
            x, y = wx / ratio - off.x(), wy / ratio - off.y()   # as Qt gives window pixel wx, wy
            mouse(view, QEvent.MouseMove, x, y)
            found = re.search(r"value (\d+)", window.readout.text())
            read.append(int(found.group(1)) if found else -1)
            mouse(view, QEvent.MouseButtonPress, x, y, Qt.LeftButton)
            mouse(view, QEvent.MouseButtonRelease, x, y, Qt.LeftButton)
            voxel = geometry.nearest_voxel(volume.ras_to_ijk, volume.shape, c.state.crosshair_ras)
            clicked.append(int(np.ravel_multi_index(voxel, volume.shape)))
    painted, dabbed = [], []
    session = window.editor.session
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=0.25, mode="2d")   # smaller than a voxel: one voxel
    for wx, wy in [(x0 + pw // 2 + 5 + 7 * k, y0 + ph // 2 + 3 + 5 * k) for k in range(6)]:
        dabbed.append(int(drawn[wy - y0, wx - x0]))
        before = session.labels.array.copy()
        x, y = wx / ratio - off.x(), wy / ratio - off.y()
        mouse(view, QEvent.MouseButtonPress, x, y, Qt.LeftButton)
        mouse(view, QEvent.MouseButtonRelease, x, y, Qt.LeftButton)
        changed = np.flatnonzero(session.labels.array != before)
        painted.append([int(v) for v in changed])
    brush = brush_circle(app, window, view, (x0 + pw // 2 - off.x() * ratio, y0 + ph // 2 - off.y() * ratio))
    c.set_mode("navigate")
    c.state.reset_view(plane)
    return {"brush": brush, "ratio": ratio, "widget": [view.width(), view.height()], "picture": [ph, pw],
            "grab": list(grab.shape[:2]), "same_as_picture":
                float(np.mean(grab == picture)) if grab.shape == picture.shape else 0.0,
            "window_match": match, "drawn": spots, "read": read, "clicked": clicked,
            "dabbed": dabbed, "painted": painted}


def brush_circle(app, window, view, centre_px) -> dict:
    """The brush cursor's radius in screen pixels as drawn (from its centre to the middle of the
    circle's stroke left and above it, in the segment's colour, away from the dabs made to the
    lower right), and as the brush's millimetres make it at the picture's mm per screen pixel."""
    ratio, radius_mm = view.devicePixelRatioF(), 4.0
    window.editor.session.set_params("paint", radius_mm=radius_mm)
    mouse(view, QEvent.MouseMove, centre_px[0] / ratio, centre_px[1] / ratio)
    view.repaint()
    pump(app, 0.2)
    shot = pixels(view.grab().toImage()).astype(int)
    ring = np.all(np.abs(shot - np.array(window.editor.active_color()[:3])) < 40, axis=2)
    fx, fy = (v * ratio for v in view.brush_centre_px())   # screen pixels, not rounded
    cx, cy = int(fx), int(fy)
    return {"left": fx - stroke_middle(ring[cy - 1:cy + 2, :cx].any(axis=0)),
            "top": fy - stroke_middle(ring[:cy, cx - 1:cx + 2].any(axis=1)),
            "expected": radius_mm / view.last.geometry.mm_per_pixel}


def stroke_middle(line: np.ndarray) -> float:
    """Position (pixel edges at integers) of the middle of the first run of True in ``line``:
    the circle's stroke, 1.5 points wide, is 3 pixels at 200 %."""
    on = np.flatnonzero(line)
    if not on.size:
        return float("nan")
    gaps = np.flatnonzero(np.diff(on) > 1)
    end = on[gaps[0]] if gaps.size else on[-1]
    return (on[0] + end + 1) / 2


def check_export(app, window, folder: Path) -> dict:
    """File > Export view of the axial view with a ruler on it, against the view on screen (below
    its title strip, which the PNG leaves out)."""
    from neuroview.app.view_measure import Ruler
    from neuroview.render.png import read_png

    c, view = window.controller, window.slice_views["axial"]
    centre = np.array(c.state.crosshair_ras, dtype=float)
    c.add_ruler(Ruler("axial", centre + [-15.0, -10.0, 0.0], centre + [12.0, 9.0, 0.0]))
    c.select(None)
    view.repaint()
    pump(app, 0.3)
    shown = pixels(view.grab().toImage())
    window.export_view(folder / "axial.png", "axial")
    exported = read_png(folder / "axial.png")[..., :3]
    below_title = slice(round(30 * view.devicePixelRatioF()), None)
    same = float(np.mean(exported[below_title] == shown[below_title])) \
        if exported.shape == shown.shape else 0.0
    return {"shown": list(shown.shape[:2]), "exported": list(exported.shape[:2]), "same": same}


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
    while (window.controller.volume is None or window.runner.busy or window.editor.session is None) \
            and time.time() < end:
        pump(app, 0.1)
    window.editor.session.segments.add("lesion")
    ids = np.arange(np.prod(shape), dtype=np.int64).reshape(shape)
    result = {plane: check_view(app, window, plane, ids) for plane in ("axial", "coronal")}
    result["export"] = check_export(app, window, folder)
    window.edit_actions.close_case(set_workspace_aside=False)
    assert window.runner.wait(5000), "a background job still ran 5 s after the case closed"
    from hidpi3d_check import check_3d

    result["3d"] = check_3d(app, window, folder)
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))   # editor_helpers'
    print("RESULT " + json.dumps(main(Path(sys.argv[1]))))
