"""A slice view's mouse and keys (``slice_widget.SliceViewWidget``, which draws): widget
positions to RAS, and press, drag, release, double-click, wheel and keys turned into view-state
changes, edits, measurements and AI click prompts (the gestures are listed in
:mod:`.slice_widget`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

from ..app.view_state import WHEEL_ZOOM, drag_zoom
from ..core import geometry
from . import hidpi, prompt_gesture
from .controller import EDIT_MODES
from .edit_controller import BRUSH_STEP
from .key_focus import menu_key, plain, typing_in
from .qt_guard import guard_overrides

BRUSH_TOOLS = ("paint", "erase")
"""The tools with a brush, which Shift+wheel sizes."""
KEY_ZOOM = 1.25
"""One press of a zoom key: a quarter larger (+, =, Ctrl+=) or smaller (-, Ctrl+-)."""
ZOOM_KEYS = {Qt.Key_Plus: 1, Qt.Key_Equal: 1, Qt.Key_Minus: -1, Qt.Key_Underscore: -1}
"""The zoom keys and their direction (R resets the view, as before). ``+`` is Shift+= on most
keyboards and a key of its own on the keypad; Ctrl+= and Ctrl+- are the usual zoom keys elsewhere."""

@guard_overrides
class SliceViewInput:
    """The view's input; the widget gives it ``controller``, ``plane``, ``hovered`` and the state
    of a gesture under way (``_press``, ``_button``, ``_editing``, ``_prompt``, ``_hover``)."""

    def _geometry(self):
        """Widget position (points) to RAS: what the mouse and the overlays drawn with QPainter
        use: ``last.geometry`` (which maps the picture's screen pixels) in points, so at 125 % or
        150 % they land where the picture shows (:func:`.hidpi.view_geometry`)."""
        return hidpi.view_geometry(self.controller.state, self.plane, self)

    def _ras(self, pos) -> np.ndarray | None:
        c = self.controller
        if c.state is None:
            return None
        return self._geometry().pixel_to_ras(pos.x(), pos.y())

    def _pointed_ras(self, pos) -> np.ndarray | None:
        """RAS of the centre of the screen pixel under the pointer: the point the picture shows
        there (a mouse position is the pixel's corner: at a voxel boundary on the view's centre
        line the status bar named the neighbouring voxel)."""
        return self._ras(QPointF(*hidpi.pixel_centre(pos.x(), pos.y(), self.devicePixelRatioF())))

    def _voxel_ras(self, pos) -> np.ndarray | None:
        """Centre of the voxel drawn under the pointer, in the grid being edited (the label map,
        else the image): where the brush, fill and AI click prompts land, as ITK-SNAP's brush
        snaps to the voxel under the cursor. At any zoom and anywhere in that voxel's square the
        voxel under the pointer is the one painted (a stroke from the pixel's corner painted a
        neighbour near voxel edges, or nothing with a brush smaller than a voxel). Outside the
        grid: the pixel centre."""
        p_ras = self._pointed_ras(pos)
        c = self.controller
        grid = c.labels if c.labels is not None else c.volume
        if p_ras is None or grid is None:
            return p_ras
        voxel = geometry.nearest_voxel(np.linalg.inv(grid.ijk_to_ras), grid.shape, p_ras)
        if voxel is None:
            return p_ras
        return geometry.apply_affine(grid.ijk_to_ras, np.asarray(voxel, dtype=float))

    def mousePressEvent(self, event) -> None:
        c = self.controller
        c.active_view = self.plane
        if c.state is None:
            return
        self._press = event.position()
        self._last = event.position()
        self._dragged = False   # a right click opens the view's menu, a right drag zooms
        self._button = event.button()
        self._wl_gain = c.wl_sensitivity()   # for the whole drag: the window changes under it
        if c.mode == "ai-click" and c.editor is not None and \
                event.button() in (Qt.LeftButton, Qt.RightButton):
            self._prompt = prompt_gesture.start(self._voxel_ras(event.position()), event.button(),
                                                event.modifiers())
            return
        pos = event.position()
        if event.button() == Qt.LeftButton:
            if c.mode in EDIT_MODES and c.editor is not None:
                self._editing = c.editor.press(self.plane, self._voxel_ras(pos))
            elif c.mode == "navigate" and c.editor is not None and c.editor.clicks_island():
                c.editor.apply_tool("islands", self._voxel_ras(pos))
            elif self._measure.press(self._pointed_ras(pos), self._shown_geometry(), pos.x(), pos.y()):
                self.update()
            elif c.mode == "navigate":
                c.set_crosshair(c.voxel_centre(self._pointed_ras(pos)))

    def mouseMoveEvent(self, event) -> None:
        c = self.controller
        pos = event.position()
        pointed = self._pointed_ras(pos)
        self.hovered.emit(() if pointed is None else pointed)
        self.pointer_moved.emit()
        self._hover = (pos.x(), pos.y())
        if c.mode in ("paint", "erase"):
            self.update()
        elif c.state is not None:
            repaint, cursor = self._measure.hover(pointed, self._shown_geometry(), pos.x(), pos.y())
            if cursor is not None and self._button is None:
                self.setCursor(cursor)
            if repaint:
                self.update()
        if c.state is None or self._button is None:
            return
        if self._editing or self._prompt is not None:
            p_ras = self._voxel_ras(pos)
            if p_ras is not None and self._editing:
                c.editor.drag(p_ras)
            elif p_ras is not None:
                self._prompt[1].append(p_ras)
            return
        dx, dy = pos.x() - self._last.x(), pos.y() - self._last.y()
        self._last = pos
        self._dragged = self._dragged or (pos - self._press).manhattanLength() \
            >= QApplication.startDragDistance()
        size = (self.width(), self.height())
        if self._button == Qt.LeftButton:
            if self._measure.drag(self._pointed_ras(pos)):   # a ruler's end taken, a ruler drawn
                self.update()
            elif c.mode == "navigate":
                c.set_crosshair(c.voxel_centre(self._pointed_ras(pos)))
            elif c.mode == "window-level":
                c.state.drag_window_level(dx, dy, self._wl_gain)
                c.changed.emit()
        elif self._button == Qt.RightButton:
            c.state.zoom_by(self.plane, drag_zoom(dy), anchor=(self._press.x(),
                            self._press.y()), size=size)
            c.changed.emit()
        elif self._button == Qt.MiddleButton:
            c.state.pan_by(self.plane, dx, dy, size)
            c.changed.emit()

    def mouseReleaseEvent(self, event) -> None:
        c = self.controller
        if self._prompt is not None:
            prompt, self._prompt, self._button = self._prompt, None, None
            moved = np.hypot(event.position().x() - self._press.x(), event.position().y() - self._press.y())
            prompt_gesture.finish(c.editor.ai_click, self.plane, prompt, moved)
            self.update()  # the new prompt's marker, before the model answers
            return
        if self._editing:
            self._editing = False
            self._button = None
            c.editor.release()
            return
        pos = event.position()
        if self._measure.release(self._pointed_ras(pos), pos.x(), pos.y()):
            self.update()
        if self._button == Qt.RightButton and event.button() == Qt.RightButton and not self._dragged:
            self.menu_asked.emit(event.globalPosition().toPoint())
        self._button = None

    def mouseDoubleClickEvent(self, event) -> None:
        """Maximise this view (or go back), except while editing: there a double-click is two
        clicks (Paint and Erase dab twice, as in ITK-SNAP; it maximised the view and the second
        dab was lost), and in AI click the first click's prompt stands alone. Islands' *Keep /
        Remove selected island* did their work on the first click: the second does nothing."""
        mode, editor = self.controller.mode, self.controller.editor
        if mode in EDIT_MODES and editor is not None:
            self.mousePressEvent(event)
        elif event.button() == Qt.LeftButton and editor is not None and editor.clicks_island():
            return
        elif event.button() == Qt.LeftButton and mode != "ai-click":
            self.controller.toggle_maximised(self.plane)

    def wheelEvent(self, event) -> None:
        c = self.controller
        if c.state is None:
            return
        notches = event.angleDelta().y() / 120.0
        if event.modifiers() & Qt.ShiftModifier and c.mode in BRUSH_TOOLS and c.editor is not None:
            # Slicer's Paint and Erase: Shift+wheel sizes the brush, a notch as ] or [ (it turned
            # the slice, ending the stroke); x where a platform turns Shift+wheel sideways
            delta = event.angleDelta().y() or event.angleDelta().x()
            c.editor.scale_brush(BRUSH_STEP ** (delta / 120.0))
            return
        if event.modifiers() & Qt.ControlModifier:
            pos = event.position()
            c.state.zoom_by(self.plane, WHEEL_ZOOM ** notches, anchor=(pos.x(), pos.y()),
                            size=(self.width(), self.height()))
            c.changed.emit()
            return
        # Whole slices only: the fractions of a notch a high-resolution wheel sends left the
        # plane between two slices (a blend on screen, the brush on another slice than the
        # labels shown).
        steps = self._wheel.add(event.angleDelta().y())
        if steps:
            self._scroll(steps)

    def _scroll(self, steps: float) -> None:
        """Next/previous slice (wheel, keys). A brush stroke being drawn here follows the slice
        shown, as Slicer's paint does: it ends on the old slice (one undo step) and goes on from
        the pointer on the new one. It stayed on the old slice, painting where the view no
        longer showed it while the new slice got nothing."""
        c = self.controller
        c.scroll(self.plane, steps)
        if self._editing and c.editor is not None:
            c.editor.release()
            p_ras = None if self._hover is None else self._voxel_ras(QPointF(*self._hover))
            self._editing = p_ras is not None and c.editor.press(self.plane, p_ras)
            if not self._editing:
                self._button = None
        self._report_pointer()

    def _report_pointer(self) -> None:
        """The slice moved under a still pointer: the status bar reads the new point."""
        if self._hover is not None:
            p_ras = self._pointed_ras(QPointF(*self._hover))
            self.hovered.emit(() if p_ras is None else p_ras)

    def follow_pointer(self) -> bool:
        """After a layout change, which moved, resized or hid this view under a still pointer:
        read the point now under the pointer (the status bar, the slice keys), or forget the
        pointer when it is not over this view. True when it is. (The enter event Qt sends when a
        view shows came before the layout gave it its new size: the status bar read the voxel
        under the pointer in the old layout.)"""
        pos = self.mapFromGlobal(QCursor.pos())
        if not (self.isVisible() and self.rect().contains(pos)):
            self._hover = None
            return False
        self._hover = (float(pos.x()), float(pos.y()))
        self._report_pointer()
        return True

    def enterEvent(self, event) -> None:
        """The pointer over a view gives it the keys (unless the user is typing in a field)."""
        if self.window().isActiveWindow() and not typing_in(QApplication.focusWidget()):
            self.setFocus(Qt.MouseFocusReason)
        # where the pointer is (also when a new layout put this view under a still pointer, as
        # after a double-click maximise): the status bar and slice keys read it before any move
        pos = event.position()
        self._hover = (pos.x(), pos.y())
        self._report_pointer()
        super().enterEvent(event)

    def leaveEvent(self, event) -> None:
        self.hovered.emit(())
        self._hover = None
        self.update()

    def keyPressEvent(self, event) -> None:
        c = self.controller
        key = event.key()
        if key in (Qt.Key_Up, Qt.Key_PageUp, Qt.Key_Right, Qt.Key_Down, Qt.Key_PageDown, Qt.Key_Left) \
                and plain(event):
            self._scroll(1 if key in (Qt.Key_Up, Qt.Key_PageUp, Qt.Key_Right) else -1)
        elif key in (Qt.Key_Home, Qt.Key_End) and c.state is not None and plain(event):
            # the first (I, P or L end, where PgDn goes) / last slice, as Slicer's slider ends
            across = c.state.slices_across(self.plane)
            self._scroll(-across if key == Qt.Key_Home else across)
        elif key in (Qt.Key_Return, Qt.Key_Enter) and c.editor is not None \
                and (c.editor.has_preview() or c.editor.ai_click_running()):
            c.editor.accept_asked()
        elif key == Qt.Key_Escape and c.mode == "angle" and self._measure.angle.cancel():
            self.update()
        elif key in (Qt.Key_Delete, Qt.Key_Backspace) and self._measure.delete(self._shown_geometry()):
            self.update()
        elif key == Qt.Key_Escape:
            self._editing = False
            self._button = None
            if c.editor is None or not c.editor.cancel():
                self.escape_unused.emit()   # nothing here to drop: the window's job bar cancels
        elif key in ZOOM_KEYS and c.state is not None and not event.modifiers() & Qt.AltModifier:
            # about the pointer when it is over this view (as Ctrl+wheel), else about its centre
            c.state.zoom_by(self.plane, KEY_ZOOM ** ZOOM_KEYS[key], anchor=self._hover,
                            size=(self.width(), self.height()))
            c.changed.emit()
        elif key == Qt.Key_R and c.state is not None and plain(event):
            c.state.reset_view(self.plane)
            c.changed.emit()
        elif menu_key(event):   # the right click's menu, at the view's centre
            self.menu_asked.emit(self.mapToGlobal(self.rect().center()))
        else:
            super().keyPressEvent(event)
