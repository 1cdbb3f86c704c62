"""One slice view (axial, sagittal or coronal): draws the numpy-rendered picture and translates
mouse and keys into view-state changes, as in Slicer and ITK-SNAP.

- wheel, Up/Down, PgUp/PgDn: previous/next slice; Ctrl+wheel or right-drag: zoom; middle-drag: pan;
- left click/drag: move the linked crosshair (navigate mode), change window/level (W/L mode),
  draw a ruler or a statistics rectangle (measure modes);
- ruler and angle modes: a press near a ruler's end (an angle's point) drags it, on its line
  selects it (see :mod:`.measure_edit`; the measure modes' gestures are in
  :mod:`.measure_mouse`); navigate mode: a press near a ruler's end or an angle's point drags it;
- double-click: maximise this view or go back (not while editing); R: reset the view; Delete or
  Backspace: delete the selected ruler or angle, else the newest on the slice shown;
- paint, erase, fill modes: left press/drag/release go to the segment editor in RAS millimetres
  (``controller.editor``) at the centre of the voxel drawn under the pointer; the brush cursor is
  drawn there at its true size; Escape cancels a stroke. Every tool reads the pointer at the centre
  of the screen pixel under it (a mouse position is the pixel's corner), as the picture samples it.

Edits redraw only the screen rectangle of the voxels they changed (:meth:`refresh_box`); every
other change redraws the whole view (the picture kept between paints: :mod:`.slice_picture`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QPointF, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QRegion
from PySide6.QtWidgets import QApplication, QWidget

from ..app.view_measure import Ruler
from ..app.view_regions import box_rect_in_view
from ..core import geometry
from ..render.slices import annotate, render_view
from . import hidpi, prompt_gesture, slice_picture
from .brush_cursor import draw_brush_cursor
from .controller import EDIT_MODES
from .key_focus import typing_in
from .measure_draw import (
    draw_angle,
    draw_rectangle,
    draw_rulers,
    draw_saved,
    on_slice,
)
from .measure_mouse import MeasureMouse
from .prompt_draw import draw_prompts
from .wheel import WheelSteps

EDGE_MARGIN = 24
"""Pixels near the edges hold the orientation letters and caption: a change there redraws all."""
TITLE_HEIGHT = 18
"""Height of a view's title strip at its top-left (colour tag and name: Axial, 3D...): the message
bars float just below it (``notice_bar.OverlayStack``), so a notice never hides which view is which."""
TAG_COLORS = {"axial": QColor(220, 60, 60), "sagittal": QColor(230, 200, 40),
              "coronal": QColor(60, 180, 80)}  # Slicer's red, yellow, green views


class SliceViewWidget(QWidget):
    hovered = Signal(object)
    """RAS point under the cursor, or an empty tuple when there is none. (Not ``None``: emitting
    None through ``Signal(object)`` over-released it in PySide6 6.12 on Python 3.11 and crashed
    the interpreter at garbage collection.)"""

    def __init__(self, plane: str, controller, parent=None) -> None:
        super().__init__(parent)
        self.plane = plane
        self.controller = controller
        self.last = None
        """The last rendered :class:`~neuroview.render.slices.SliceImage` (what is on screen)."""
        self._press = None
        self._button = None
        self._measure = MeasureMouse(controller, plane)
        self._stale = True   # the cached picture no longer matches the state: render it all
        self._editing = False
        self._prompt = None  # AI click being given: (include, [RAS points], lasso)
        self._hover = None   # widget position of the mouse (for the brush cursor)
        self._wheel = WheelSteps()
        self._wl_gain = 1.0  # intensity units per pixel of the window/level drag under way
        self.partial_updates = 0
        """Edits drawn by redrawing only their rectangle (for tests and curiosity)."""
        self.renders = 0
        """Whole pictures resampled from the volume (for tests: a wheel step elsewhere makes none)."""
        self._base = None      # the picture without the crosshair
        self._key = None       # the _render_key it was drawn for
        self._annotated = None  # the crosshair and caption drawn on ``last``
        self.uploaded_pixels = 0
        """Pixels of the picture handed to Qt (for tests: a wheel step elsewhere hands over only the
        crosshair line's rows or columns, not the whole picture)."""
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMinimumSize(96, 96)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        controller.changed.connect(self._state_changed)  # the render key tells whether to resample
        controller.labels_changed.connect(self.invalidate)
        controller.mode_changed.connect(self._mode_changed)  # a method: gone with the widget
        controller.stats_box_changed.connect(self.update)
        controller.measurements_changed.connect(self._measurements_changed)

    # -- drawing --------------------------------------------------------------------------------
    def render(self, width: int | None = None, height: int | None = None, overlays: bool = True):
        """The view's picture; ``overlays=False``: without crosshair, letters and caption."""
        c = self.controller
        width, height = width or self.width(), height or self.height()
        return render_view(c.volume, c.state, self.plane, width, height, labels=c.display_labels(),
                           crosshair=overlays, annotations=overlays)

    def _annotations(self) -> tuple:
        state = self.controller.state
        return (tuple(state.crosshair_ras), state.slice_label(self.plane))

    def _compose(self) -> None:
        """``last`` = the picture with the crosshair, letters and caption drawn on a copy."""
        base, state = self._base, self.controller.state
        self.last = dataclasses.replace(base, rgb=base.rgb.copy())  # labels: shared, read-only
        annotate(self.last.rgb, base.geometry, state.crosshair_ras,
                 state.orientation_letters(self.plane), state.slice_label(self.plane),
                 scale=self.devicePixelRatioF())
        self._annotated = self._annotations()

    def _render_key(self) -> tuple:
        return slice_picture.render_key(self.controller, self.plane, hidpi.device_size(self))

    def _mode_changed(self, _mode: str) -> None:
        self._measure.angle.cancel()
        self.unsetCursor()
        self.update()

    def _measurements_changed(self, plane: str) -> None:
        """A ruler or angle changed (in this view or another): drawn anew at once if it is ours."""
        if plane == self.plane:
            self.update()

    def _state_changed(self) -> None:
        """The view state changed: when only the crosshair moved over an unchanged picture (a wheel
        step in another view), repaint only the rows and columns its lines left and reach. The
        slice may have moved under a still pointer (a jump to a lesion, a click in another view):
        the status bar reads the point now under it. Another slice drops the statistics
        rectangle drawn on this one."""
        box = self.controller.stats_box
        if box is not None and box.plane == self.plane and not on_slice(
                self.controller.state, self._geometry(), self.plane, box.start_ras):
            self.controller.set_stats_box(None)
        self._report_pointer()
        region = self._crosshair_region()
        if region is None:
            self.update()
        elif not region.isEmpty():
            self.update(region)

    def _crosshair_region(self) -> QRegion | None:
        last, c = self.last, self.controller
        if self._stale or last is None or self._annotated is None or c.state is None \
                or (last.geometry.width, last.geometry.height) != hidpi.device_size(self) \
                or self._render_key() != self._key:
            return None
        (old_ras, old_caption), new = self._annotated, self._annotations()
        if new[1] != old_caption:
            return None
        return slice_picture.crosshair_region(last.geometry, old_ras, new[0], hidpi.device_size(self),
                                              self.devicePixelRatioF())

    def invalidate(self) -> None:
        """The view state or the labels changed in a way a rectangle cannot describe: redraw all."""
        self._stale = True
        self.update()

    def refresh_box(self, box) -> None:
        """Voxels in ``box`` (``(lo, hi)`` of the label map) changed: redraw only where they show."""
        c = self.controller
        labels = c.display_labels()
        last = self.last
        if self._stale or last is None or labels is None or c.state is None:
            return self.invalidate()
        geom, ratio = last.geometry, self.devicePixelRatioF()
        if (geom.width, geom.height) != hidpi.device_size(self):
            return self.invalidate()
        rect = box_rect_in_view(box, labels.ijk_to_ras, geom)
        if rect is None:
            return  # this view's slice does not cut the changed voxels
        x0, y0, x1, y1 = rect
        margin = EDGE_MARGIN * ratio
        if x0 < margin or y0 < margin or x1 > geom.width - margin or y1 > geom.height - margin:
            return self.invalidate()
        part = slice_picture.render_part(c, geom, x0, y0, x1, y1)
        base = self._base
        base.rgb[y0:y1, x0:x1] = part.rgb
        if base.labels is not None and part.labels is not None:
            base.labels[y0:y1, x0:x1] = part.labels
        self._annotated = None  # composed again at the next paint (lines over the new pixels)
        self.partial_updates += 1
        self.update(hidpi.to_widget(x0, y0, x1, y1, ratio))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        c = self.controller
        if c.volume is None or c.state is None:
            painter.fillRect(self.rect(), QColor(0, 0, 0))
            self._draw_tag(painter)
            return
        key = self._render_key()
        if self._stale or self._base is None or key != self._key:
            self._base = self.render(*hidpi.device_size(self), overlays=False)
            self._key, self._stale, self._annotated = key, False, None
            self.renders += 1
        if self._annotations() != self._annotated:  # the picture is kept; only the lines move
            self._compose()
        self._draw_picture(painter, event.region())
        self._draw_measurements(painter)
        self._draw_prompts(painter)
        self._draw_brush(painter)
        self._draw_tag(painter)

    def _draw_picture(self, painter: QPainter, region: QRegion) -> None:
        """Hand Qt the picture's pixels in ``region`` only (all of them for a whole repaint), at
        the screen's resolution (see :mod:`.hidpi`)."""
        rgb, ratio = self.last.rgb, self.devicePixelRatioF()
        height, width = rgb.shape[:2]
        whole = QRect(0, 0, self.width(), self.height())
        rects = [whole] if region.boundingRect().contains(whole) else list(region)
        for rect in rects:
            x0, y0, x1, y1 = hidpi.to_device(rect, ratio, width, height)
            if x1 <= x0 or y1 <= y0:
                continue
            part = rgb[y0:y1, x0:x1]
            if part.shape[:2] != (height, width):
                part = np.ascontiguousarray(part)
            painter.drawImage(hidpi.at(x0, y0, ratio), hidpi.picture(part, ratio))
            self.uploaded_pixels += part.shape[0] * part.shape[1]

    def brush_radius_px(self) -> float | None:
        """Radius of the brush cursor in widget pixels (the brush's radius in mm, to scale)."""
        c = self.controller
        if c.mode not in ("paint", "erase") or c.editor is None or c.state is None:
            return None
        return c.editor.brush_radius_mm() / self._geometry().mm_per_pixel

    def brush_centre_px(self) -> tuple[float, float] | None:
        """Widget position of the brush cursor's centre: the centre of the voxel a stamp at the
        pointer paints around (:meth:`_voxel_ras`), so the outline circles the voxels it paints."""
        if self._hover is None or self.controller.state is None:
            return None
        p_ras = self._voxel_ras(QPointF(*self._hover))
        return None if p_ras is None else self._geometry().ras_to_pixel(p_ras)

    def _draw_brush(self, painter: QPainter) -> None:
        radius = self.brush_radius_px()
        centre = self.brush_centre_px()
        if radius is None or centre is None:
            return
        draw_brush_cursor(painter, centre, radius, self.controller.editor.active_color(),
                          erase=self.controller.mode == "erase")

    def _draw_prompts(self, painter: QPainter) -> None:
        if self.controller.mode == "ai-click":
            draw_prompts(painter, self.controller, self._geometry(), self.plane)

    def _draw_tag(self, painter: QPainter) -> None:
        painter.fillRect(0, 0, 6, TITLE_HEIGHT, TAG_COLORS[self.plane])
        painter.setPen(QColor(200, 200, 200))
        painter.setFont(QFont("Sans", 8))
        painter.drawText(10, 12, self.plane.capitalize())

    def _shown_geometry(self):
        """:meth:`_geometry` once the view shows a picture (measurements are picked on what the
        user sees), else ``None``."""
        return None if self.controller.state is None or self.last is None else self._geometry()

    def _draw_measurements(self, painter: QPainter) -> None:
        geom, draft, angle = self._geometry(), self._measure.draft, self._measure.angle
        draw_saved(painter, self.controller, geom, self.plane, top=TITLE_HEIGHT,
                   selected=self.controller.selected)
        # what is being drawn: its label below the title strip too, as the finished ones'
        if draft is not None and self.controller.mode == "ruler":
            draw_rulers(painter, geom, [Ruler(self.plane, *draft)], top=TITLE_HEIGHT)
        elif draft is not None and self.controller.mode == "rectangle":
            draw_rectangle(painter, geom, *draft, top=TITLE_HEIGHT)
        elif self.controller.mode == "angle" and angle.points:
            draw_angle(painter, geom, angle.shown(), top=TITLE_HEIGHT)

    # -- mouse ----------------------------------------------------------------------------------
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
            elif self._measure.press(self._pointed_ras(pos), self._shown_geometry(), pos.x(), pos.y()):
                self.update()
            elif c.mode == "navigate":
                c.set_crosshair(c.voxel_centre(self._pointed_ras(pos)))

    def mouseMoveEvent(self, event) -> None:
        c = self.controller
        pos = event.position()
        pointed = self._pointed_ras(pos)
        self.hovered.emit(() if pointed is None else pointed)
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
            c.state.zoom_by(self.plane, float(np.exp(-dy * 0.01)), anchor=(self._press.x(),
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
        self._button = None

    def mouseDoubleClickEvent(self, event) -> None:
        """Maximise this view (or go back), except while editing: there a double-click is two
        clicks (Paint and Erase dab twice, as in ITK-SNAP; it maximised the view and the second
        dab was lost), and in AI click the first click's prompt stands alone."""
        mode = self.controller.mode
        if mode in EDIT_MODES and self.controller.editor is not None:
            self.mousePressEvent(event)
        elif event.button() == Qt.LeftButton and mode != "ai-click":
            self.controller.toggle_maximised(self.plane)

    def wheelEvent(self, event) -> None:
        c = self.controller
        if c.state is None:
            return
        notches = event.angleDelta().y() / 120.0
        if event.modifiers() & Qt.ControlModifier:
            pos = event.position()
            c.state.zoom_by(self.plane, 1.15 ** notches, anchor=(pos.x(), pos.y()),
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
        if key in (Qt.Key_Up, Qt.Key_PageUp, Qt.Key_Right, Qt.Key_Down, Qt.Key_PageDown, Qt.Key_Left):
            self._scroll(1 if key in (Qt.Key_Up, Qt.Key_PageUp, Qt.Key_Right) else -1)
        elif key in (Qt.Key_Return, Qt.Key_Enter) and c.editor is not None and c.editor.has_preview():
            c.editor.accept_asked()
        elif key == Qt.Key_Escape and c.mode == "angle" and self._measure.angle.cancel():
            self.update()
        elif key in (Qt.Key_Delete, Qt.Key_Backspace) and self._measure.delete(self._shown_geometry()):
            self.update()
        elif key == Qt.Key_Escape and c.stats_box is not None:
            c.set_stats_box(None)
        elif key == Qt.Key_Escape and c.editor is not None:
            self._editing = False
            self._button = None
            c.editor.cancel()
        elif key == Qt.Key_R and c.state is not None:
            c.state.reset_view(self.plane)
            c.changed.emit()
        else:
            super().keyPressEvent(event)
