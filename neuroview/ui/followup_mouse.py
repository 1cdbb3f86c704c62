"""The follow-up panes' mouse, as the main window's slice views take it: left click or drag moves
the crosshair (to the baseline voxel under the pointer), the wheel steps the slice, Ctrl+wheel
and right-drag zoom about the pointer, middle-drag pans. With *Window/level* on (its button or
F2, as the main window's mode) a left drag changes the window of both panes instead, by the main
window's arithmetic (right widens, down raises the level, the window's width / 200 a pixel).
Both panes show one view of the baseline's world, so they zoom and pan together. (Until
session 26 Ctrl+wheel stepped the slice here, a drag did nothing, and there was no zoom to compare
small lesions, nor any way to change the window.)"""

from __future__ import annotations

from PySide6.QtCore import Qt

from ..app.view_state import WHEEL_ZOOM, drag_zoom, window_level_gain
from .qt_guard import guard_overrides


@guard_overrides
class PaneMouse:
    """Mouse handlers of :class:`~neuroview.ui.followup_window.FollowupPairWidget` (its ``state``,
    ``plane``, ``pane_size``, ``pane_device_size``, ``voxel_ras``, ``set_crosshair``, ``_wheel``,
    ``window_level``, ``intensity_range``, ``window_changed``)."""

    _button = None
    _press = None
    _last = None
    _wl_gain = 1.0

    def dragged_window(self):
        """``(state, (low, high))``: the viewer state whose window a window/level drag changes,
        and its image's intensity range (both panes' here; one pane's in ``compare_pair``)."""
        return self.state, self.intensity_range

    def _in_pane(self, event) -> tuple[float, float]:
        """The pointer in screen pixels of the pane under it (where ``state.geometry`` works)."""
        ratio = self.devicePixelRatioF()
        w, _ = self.pane_size()
        return (event.position().x() % w) * ratio, event.position().y() * ratio

    def mousePressEvent(self, event) -> None:
        self._button, self._press, self._last = event.button(), self._in_pane(event), event.position()
        # for the whole drag, as the main window's views: the window changes under it
        state, (low, high) = self.dragged_window()
        self._wl_gain = window_level_gain(state.window, low, high)
        if event.button() == Qt.LeftButton and not self.window_level:
            self.set_crosshair(self.voxel_ras(event.position().x(), event.position().y()))

    def mouseMoveEvent(self, event) -> None:
        if self._button is None:
            return
        pos = event.position()
        dx, dy = pos.x() - self._last.x(), pos.y() - self._last.y()
        self._last = pos
        ratio, size = self.devicePixelRatioF(), self.pane_device_size()
        if self._button == Qt.LeftButton and self.window_level:
            self.dragged_window()[0].drag_window_level(dx, dy, self._wl_gain)
            self.window_changed.emit()
        elif self._button == Qt.LeftButton:
            self.set_crosshair(self.voxel_ras(pos.x(), pos.y()))
            return
        if self._button == Qt.RightButton:
            self.state.zoom_by(self.plane, drag_zoom(dy), anchor=self._press, size=size)
        elif self._button == Qt.MiddleButton:
            self.state.pan_by(self.plane, dx * ratio, dy * ratio, size)
        self.update()

    def mouseReleaseEvent(self, event) -> None:
        self._button = None

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.ControlModifier:
            self.state.zoom_by(self.plane, WHEEL_ZOOM ** (event.angleDelta().y() / 120.0),
                               anchor=self._in_pane(event), size=self.pane_device_size())
            self.update()
            return
        steps = self._wheel.add(event.angleDelta().y())
        if steps:
            self.state.scroll(self.plane, steps)
            self.update()
