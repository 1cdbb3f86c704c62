"""The 3D view's mouse and keys (a base of :class:`~neuroview.ui.view3d_widget.View3DWidget`):
left-drag rotates, right-drag or wheel zooms (a right click that does not drag opens the view's
menu, ``view_context_menu``), middle-drag pans, double-click maximises, Shift+click moves the
crosshair to what is drawn there, R resets the camera, the arrows turn it; the other keys go on to
the slice view clicked last."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ..app.view_state import drag_zoom
from . import hidpi
from .key_focus import menu_key, plain, typing_in
from .qt_guard import guard_overrides

TURN_STEP = 15.0
"""Degrees the camera turns at an arrow key, as Slicer's 3D view (``vtkMRMLCameraNode::RotateAround``:
15 degrees, six presses a right angle)."""
TURN_KEYS = {Qt.Key_Left: (TURN_STEP, 0.0), Qt.Key_Right: (-TURN_STEP, 0.0),
             Qt.Key_Up: (0.0, -TURN_STEP), Qt.Key_Down: (0.0, TURN_STEP)}
"""Each arrow turns the scene as a left-drag that way does
(:meth:`~neuroview.render.volume3d.Scene3D.rotate`): Right turns it to the right, Up tips its front up."""


@guard_overrides
class View3DInput:
    """The widget gives it ``controller``, ``scene``, ``slice_views``, ``schedule`` and
    ``reset_camera``, and the drag's state (``_button``, ``_last``, ``_keys_to``)."""

    def mousePressEvent(self, event) -> None:
        self._remember_slice_view()
        self.controller.active_view = "3d"
        if event.button() == Qt.LeftButton and event.modifiers() & Qt.ShiftModifier:
            self._button = None   # Shift+click: the crosshair goes there; no rotation
            self.crosshair_to(event.position())
            return
        self._button = event.button()
        self._last = self._press = event.position()
        self._dragged = False   # a right click opens the view's menu, a right drag zooms

    def crosshair_to(self, pos) -> bool:
        """Shift+click: move the crosshair (every slice view) to the voxel drawn under the pointer
        (a segment's surface, a slice plane or the rendered volume), as Slicer's Shift in its 3D
        view and ITK-SNAP's 3D crosshair do; whether something was there. The surface lies on a
        voxel's boundary, so the point is taken half a voxel behind it, inside the segment."""
        c = self.controller
        if self.scene is None or c.volume is None or self.scene.rendering:
            return False
        width, height = hidpi.device_size(self)
        p_ras = self.scene.pick(pos.x() * width / max(self.width(), 1),
                                pos.y() * height / max(self.height(), 1))
        if p_ras is None:
            self.said.emit("Shift+click in the 3D view: nothing drawn under the pointer (a segment, a "
                       "slice plane or the volume moves the crosshair there).")
            return False
        half_voxel = 0.5 * float(np.min(c.volume.spacing))
        c.set_crosshair(c.voxel_centre(p_ras + half_voxel * self.scene.view_direction()))
        return True

    def _remember_slice_view(self) -> None:
        if self.controller.active_view in self.slice_views:
            self._keys_to = self.controller.active_view

    def mouseMoveEvent(self, event) -> None:
        # rendering: only from a dialog's event loop opened during a frame (``frame_input`` holds
        # the clicks and drags of the window's own loop until the frame is drawn)
        if self.scene is None or self._button is None or self.scene.rendering:
            return
        pos = event.position()
        self._dragged = self._dragged or \
            (pos - self._press).manhattanLength() >= QApplication.startDragDistance()
        dx, dy = pos.x() - self._last.x(), pos.y() - self._last.y()
        self._last = pos
        if self._button == Qt.LeftButton:
            self.scene.rotate(dx, dy)
        elif self._button == Qt.RightButton:
            self.scene.zoom(drag_zoom(dy))
        elif self._button == Qt.MiddleButton:   # the scene follows the pointer: frame pixels
            ratio = self.devicePixelRatioF()
            self.scene.pan(dx * ratio, dy * ratio)
        self.schedule(fast=True)

    def mouseReleaseEvent(self, event) -> None:
        if self._button == Qt.RightButton == event.button() and not self._dragged:
            self.menu_asked.emit(event.globalPosition().toPoint())
        self._button = None
        self.schedule(fast=False)

    def wheelEvent(self, event) -> None:
        if self.scene is not None and not self.scene.rendering:
            self.scene.zoom(1.1 ** (event.angleDelta().y() / 120.0))
            self.schedule()

    def mouseDoubleClickEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self.controller.toggle_maximised("3d")

    def enterEvent(self, event) -> None:
        """The pointer over the 3D view gives it the keys (unless the user is typing in a field):
        R over it reset the slice view clicked last, and Up/Down scrolled that view's slices."""
        self._remember_slice_view()
        if self.window().isActiveWindow() and not typing_in(QApplication.focusWidget()):
            self.setFocus(Qt.MouseFocusReason)
        super().enterEvent(event)

    def keyPressEvent(self, event) -> None:
        """R resets the camera and the arrows turn it (:data:`TURN_KEYS`); any other key goes on
        to the slice view clicked last, as before the 3D view took the keys (PgUp/PgDn, Home/End
        step it, Enter accepts a preview, Esc drops it)."""
        if event.key() == Qt.Key_R and not event.modifiers():
            self.reset_camera()
            return
        if event.key() in TURN_KEYS and plain(event):
            self.turn_camera(*TURN_KEYS[event.key()])
            return
        if menu_key(event):   # its right click's menu (look from A/P/L/R/S/I ...), at its centre
            self.menu_asked.emit(self.mapToGlobal(self.rect().center()))
            return
        target = self.slice_views.get(self._keys_to)
        if target is not None and target.isVisible():
            QApplication.sendEvent(target, event)
        elif event.key() == Qt.Key_Escape:   # the 3D view alone on screen: Esc still stops a job
            self.escape_unused.emit()
        else:
            super().keyPressEvent(event)
