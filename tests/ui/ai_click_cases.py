"""The AI click tool's cases: a blob image, a gated model, clicks and their answers: helpers that
test_ai_click.py and the tests building on it share (test modules import helpers from a helper
module, never from another test module)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import open_image, pixel_of, shortcut, wait_for_session
from PySide6.QtCore import QPoint, Qt

from neuroview.ai.interactive.baseline import GrowPromptModel

CENTRE = np.array([6.0, -4.0, 8.0])


def _blob_image(folder):
    shape = (64, 64, 48)
    affine = np.diag([1.5, 1.5, 2.0, 1.0])
    affine[:3, 3] = -affine[:3, :3] @ ((np.asarray(shape) - 1) / 2)
    ras = np.indices(shape).reshape(3, -1).T @ affine[:3, :3].T + affine[:3, 3]
    d1 = np.linalg.norm(ras - CENTRE, axis=1).reshape(shape)
    d2 = np.linalg.norm(ras - (CENTRE + [24, 0, 0]), axis=1).reshape(shape)
    image = 100 + 800 / (1 + np.exp((d1 - 8) / 0.6)) + 800 / (1 + np.exp((d2 - 6) / 0.6))
    path = folder / "blobs.nii.gz"
    nib.save(nib.Nifti1Image(image.astype(np.float32), affine), path)
    return path, d1 <= 8, d2 <= 6


def _click(qtbot, window, plane, p_ras, button=Qt.LeftButton, modifier=Qt.NoModifier):
    x, y = pixel_of(window, plane, p_ras)
    qtbot.mouseClick(window.slice_views[plane], button, modifier, QPoint(int(round(x)), int(round(y))))


def _lasso(window, plane, outline_px) -> None:
    """A Ctrl+drag through the widget positions ``outline_px`` on ``plane``'s view: a lasso."""
    _drag(window, plane, outline_px, Qt.ControlModifier)


def _drag(window, plane, path_px, modifiers=Qt.NoModifier) -> None:
    """A left drag through the widget positions ``path_px`` on ``plane``'s view (no modifier: a
    box from the first position to the last)."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    view = window.slice_views[plane]

    def send(kind, xy, button, buttons):
        pos = QPointF(float(xy[0]), float(xy[1]))
        QApplication.sendEvent(view, QMouseEvent(kind, pos, view.mapToGlobal(pos), button, buttons,
                                                 modifiers))

    send(QEvent.MouseButtonPress, path_px[0], Qt.LeftButton, Qt.LeftButton)
    for xy in path_px[1:]:
        send(QEvent.MouseMove, xy, Qt.NoButton, Qt.LeftButton)
    send(QEvent.MouseButtonRelease, path_px[-1], Qt.LeftButton, Qt.NoButton)


def _answered_click(qtbot, window, p_ras):
    """Click at ``p_ras`` in the axial view; the labels the preview shows once it is answered."""
    _click(qtbot, window, "axial", p_ras)
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running,
                    timeout=30000)
    return window.controller.preview_labels.array.copy()


def accepted_then_undone(qtbot, window, session, first) -> tuple:
    """AI click on the ``first`` blob (into segment 1), accepted with Enter, then Ctrl+Z: the
    segment editor's From column (text, tooltip) once accepted; segment 1's voxels and the From
    text once undone."""
    _answered_click(qtbot, window, CENTRE)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    qtbot.waitUntil(lambda: ((session.labels.array == 1) & first).sum() > 0.7 * first.sum())
    source = window.edit_actions.panel.table.item(0, 4)
    accepted = (source.text(), source.toolTip())
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    return accepted, session.labels.array == 1, window.edit_actions.panel.table.item(0, 4).text()


def _setup(qtbot, window, tmp_path):
    path, first, second = _blob_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(CENTRE)
    window.edit_actions.panel.ai_backend.setCurrentIndex(1)
    window.edit_actions.panel.ai_backend.activated.emit(1)
    assert isinstance(window.editor.ai_click.model, GrowPromptModel)
    shortcut(qtbot, window, Qt.Key_K)
    assert window.controller.mode == "ai-click"
    return session, first, second


def _answer_switch(window, button, asked):
    """Click ``button`` of the model-switch question as soon as it shows (give up after 5 s)."""
    from PySide6.QtCore import QTimer

    def click(tries=250):
        box = window.editor.ai_click.switch_box
        if box is None or not box.isVisible():
            if tries:
                QTimer.singleShot(20, lambda: click(tries - 1))
            return
        asked.append(box.text())
        box.button(button).click()
    QTimer.singleShot(0, click)


class _GatedModel(GrowPromptModel):
    """Grow from seeds whose first answer waits until the test opens the gate (a model still
    running when the user goes on); ``entered`` is set once an answer is under way."""

    def __init__(self):
        import threading

        super().__init__()
        self.gate, self.entered = threading.Event(), threading.Event()

    def predict(self, inputs):
        self.entered.set()
        self.gate.wait(30)
        return super().predict(inputs)
