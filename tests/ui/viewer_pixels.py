"""Opening a case in the window and reading the pixels the viewer shows: helpers that test_viewer.py
and the tests building on it share (test modules import helpers from a helper module, never from
another test module)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication
from render_cases import make_case

from neuroview.io.nifti import save_nifti

SCREEN_AXES = {  # radiological convention, written out by hand: (screen right, screen down)
    "axial": (np.array([-1.0, 0, 0]), np.array([0, -1.0, 0])),
    "coronal": (np.array([-1.0, 0, 0]), np.array([0, 0, -1.0])),
    "sagittal": (np.array([0, -1.0, 0]), np.array([0, 0, -1.0])),
}


def grab(widget) -> np.ndarray:
    """What the widget shows on screen, as an (h, w, 3) array."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(h, image.bytesPerLine())
    return data[:, : 3 * w].reshape(h, w, 3).copy()


def expected_pixel(window, plane, p_ras):
    widget = window.slice_views[plane]
    state = window.controller.state
    right, down = SCREEN_AXES[plane]
    mm = state.geometry(plane, widget.width(), widget.height()).mm_per_pixel
    offset = np.asarray(p_ras) - state.center_ras
    return widget.width() / 2 + offset @ right / mm, widget.height() / 2 + offset @ down / mm


def save_case(folder, name, image_affine, label_affine=None, label_shape=(48, 48, 48)):
    volume, labels = make_case(image_affine)
    if label_affine is not None:
        _, labels = make_case(label_affine, shape=label_shape)
    save_nifti(volume.array, volume.ijk_to_ras, folder / f"{name}.nii.gz")
    save_nifti(labels.array, labels.ijk_to_ras, folder / f"{name}-labels.nii.gz")
    return folder / f"{name}.nii.gz", folder / f"{name}-labels.nii.gz"


def open_case(qtbot, window, image, labels=None):
    """Open ``image`` (and ``labels`` on it) and wait until both are on screen. Waits for the new
    image, not for any: a second case's labels were loaded onto the image still shown while
    the second loaded, and dropped with it (session 51's keys walk)."""
    shown = window.controller.volume
    window.open_paths([image])
    qtbot.waitUntil(lambda: window.controller.volume not in (None, shown), timeout=30000)
    if labels is not None:
        window.open_labels(labels)
        qtbot.waitUntil(lambda: window.controller.labels is not None, timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def send_mouse(widget, kind, pos, button=Qt.LeftButton, buttons=Qt.LeftButton):
    event = QMouseEvent(kind, QPointF(*pos), widget.mapToGlobal(QPointF(*pos)), button, buttons,
                        Qt.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(view, moves, after_move=None) -> None:
    """A left drag from the view's centre by ``moves`` (``(dx, dy)`` each, a mouse move apiece);
    ``after_move()`` after each (e.g. a repaint, as the screen shows each step)."""
    x, y = view.width() / 2, view.height() / 2
    send_mouse(view, QEvent.MouseButtonPress, (x, y))
    for dx, dy in moves:
        x, y = x + dx, y + dy
        send_mouse(view, QEvent.MouseMove, (x, y), Qt.NoButton)
        if after_move is not None:
            after_move()
    send_mouse(view, QEvent.MouseButtonRelease, (x, y), buttons=Qt.NoButton)
