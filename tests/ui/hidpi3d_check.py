"""The 3D half of test_hidpi.py, run by hidpi_check.py in its Python with ``QT_SCALE_FACTOR`` set,
in the window of the slice checks (one Python and window per ratio, not two): opens a synthetic
head and gives the size the 3D view renders at, how much of the screen shows that frame's own
pixels, and how far a middle-drag pans the scene under the pointer."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication


def pump(app, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.02)


def mouse(view, kind, x, y, button) -> None:
    pos = QPointF(x, y)
    buttons = Qt.NoButton if kind == QEvent.MouseButtonRelease else button
    QApplication.sendEvent(view, QMouseEvent(kind, pos, view.mapToGlobal(pos), button, buttons,
                                             Qt.NoModifier))


def on_window(scene, point) -> np.ndarray:
    """Render-window pixel ``(x, y)`` (y down) of RAS ``point``."""
    renderer = scene.renderer
    renderer.SetWorldPoint(*point, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    return np.array([x, scene.window.GetSize()[1] - y])


def check_3d(app, window, folder: Path) -> dict:
    from editor_helpers import write_image

    path, head = write_image(folder)
    before = window.controller.volume   # the grid of the slice checks: still open (close_case
    view = window.view3d                # closes the labels, not the image)

    def open_late() -> None:
        """The head's open starts 0.6 s after the grid's 3D view settled, as on a loaded machine:
        a wait met by the grid's frame reads it here every time, not once in six runs."""
        if view.surfaces_pending or view.rgb is None:
            QTimer.singleShot(20, open_late)
        else:
            QTimer.singleShot(600, lambda: window.open_paths([path]))

    open_late()
    end = time.time() + 90
    # the head's own frame: the grid's scene met "scene of the open image, a frame, no surfaces
    # pending" before the head's open ended, and the checks read the grid's frame, or none (the
    # head arriving during them cleared it: rgb None, one loaded run in six at 150 %)
    while not (window.controller.volume is not before and not window.runner.busy
               and view._scene_volume is window.controller.volume is not None
               and view.rgb is not None and not view.surfaces_pending) and time.time() < end:
        pump(app, 0.1)
    pump(app, 0.5)
    view.repaint()
    grab = view.grab().toImage().convertToFormat(QImage.Format_RGB888)
    gw, gh = grab.width(), grab.height()
    grabbed = np.frombuffer(grab.constBits(), np.uint8).reshape(gh, grab.bytesPerLine())[:, :3 * gw]
    rgb, framed = view.rgb, view._scene_volume   # the frame, and the image it shows
    shown = rgb.reshape(rgb.shape[0], -1)
    below_title = slice(40 * gh // view.height(), None)   # the title strip is drawn over the frame
    same = float(np.mean(grabbed[below_title] == shown[below_title])) if grabbed.shape == shown.shape else 0.0
    scene = view.scene
    focus = np.array(scene.renderer.GetActiveCamera().GetFocalPoint())
    before = on_window(scene, focus)
    x, y, move = view.width() / 2, view.height() / 2, (30.0, 20.0)
    mouse(view, QEvent.MouseButtonPress, x, y, Qt.MiddleButton)
    mouse(view, QEvent.MouseMove, x + move[0], y + move[1], Qt.MiddleButton)
    mouse(view, QEvent.MouseButtonRelease, x + move[0], y + move[1], Qt.MiddleButton)
    pump(app, 0.5)
    after = on_window(scene, focus)
    points_per_pixel = view.width() / scene.window.GetSize()[0]
    panned_image = view._scene_volume
    result = {"images": [None if image is None else list(image.array.shape)
                         for image in (framed, panned_image)],
              "opened": list(head.array.shape),
              "ratio": view.devicePixelRatioF(), "widget": [view.width(), view.height()],
              "frame": list(rgb.shape[:2]), "grab": [gh, gw], "same_as_frame": same,
              "panned": list((after - before) * points_per_pixel), "dragged": list(move)}
    window.edit_actions.close_case(set_workspace_aside=False)
    assert window.runner.wait(5000), "a background job still ran 5 s after the case closed"
    return result
