"""One slice view (axial, sagittal or coronal): draws the numpy-rendered picture and translates
mouse and keys into view-state changes, as in Slicer and ITK-SNAP.

- wheel, Up/Down, PgUp/PgDn: previous/next slice; Ctrl+wheel or right-drag: zoom; middle-drag: pan;
  Shift+wheel in paint or erase mode: the brush's size;
  a right click that does not drag: the view's menu (:mod:`.view_context_menu`);
- left click/drag: move the linked crosshair (navigate mode), change window/level (W/L mode),
  draw a ruler or a statistics rectangle or ellipse (measure modes);
- ruler and angle modes: a press near a ruler's end (an angle's point) drags it, on its line
  selects it (see :mod:`.measure_edit`; the measure modes' gestures are in
  :mod:`.measure_mouse`); navigate mode: a press near a ruler's end or an angle's point drags it;
- double-click: maximise this view or go back (not while editing); R: reset the view; Delete or
  Backspace: delete the selected ruler or angle, else the newest on the slice shown;
- paint, erase, fill modes: left press/drag/release go to the segment editor in RAS millimetres
  (``controller.editor``) at the centre of the voxel drawn under the pointer; the brush cursor is
  drawn there at its true size; Escape cancels a stroke. Every tool reads the pointer at the centre
  of the screen pixel under it (a mouse position is the pixel's corner), as the picture samples it.

The mouse and keys are handled in :mod:`.slice_input`. Edits redraw only the screen rectangle of
the voxels they changed (:meth:`refresh_box`); every other change redraws the whole view (the
picture kept between paints: :mod:`.slice_picture`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QPointF, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QRegion
from PySide6.QtWidgets import QWidget

from ..app.frames import view_caption
from ..app.view_measure import Ruler
from ..app.view_regions import box_rect_in_view
from ..core.same_object import Same
from ..render.slices import annotate, made_up_note, move_crosshair, render_view
from . import hidpi, slice_picture
from .brush_cursor import draw_brush_cursor
from .measure_draw import (
    draw_angle,
    draw_rectangle,
    draw_rulers,
    draw_saved,
)
from .measure_mouse import STATS_MODES, MeasureMouse
from .prompt_draw import draw_prompts
from .qt_guard import guard_overrides
from .slab_job import SlabPicture
from .slice_input import SliceViewInput
from .wheel import WheelSteps

EDGE_MARGIN = 24
"""Pixels near the edges hold the orientation letters and caption: a change there redraws all."""
REVEAL_MARGIN = 0.15
"""A jump (to a lesion) pans a view whose point lies within this fraction of its width or height
from an edge: the orientation letters, the caption and the notice bars cover the edges."""

TITLE_HEIGHT = 18
"""Height of a view's title strip at its top-left (colour tag and name: Axial, 3D...): the message
bars float just below it (``notice_bar.OverlayStack``), so a notice never hides which view is which."""
TITLE_LEFT = 10
"""Where the title's text starts, right of the colour tag."""
TOP_LETTER_HALF = 12
"""Half the width of the top orientation letter's box (A on the axial view, centred): the title
is elided to end before it."""
SIDE_LETTERS_HALF = 12
"""Half the height of the side letters' box (R, L on the axial view; 14-pixel letters, outlined),
centred on the view's middle row: the notice bars end this far above that row."""


def labels_top(covered_to) -> int:
    """The row (widget pixels) below which a view writes its measurements' values: below its title
    strip and below a notice or error bar floating over its top (``covered_to``, set by the window:
    a callable giving the row the bars cover it to, 0 where none does), where they were unreadable
    while the bar showed."""
    covered = covered_to() if covered_to is not None else 0
    return max(TITLE_HEIGHT, covered + 2 if covered else 0)


TAG_COLORS = {"axial": QColor(220, 60, 60), "sagittal": QColor(230, 200, 40),
              "coronal": QColor(60, 180, 80)}  # Slicer's red, yellow, green views


@guard_overrides
class SliceViewWidget(SliceViewInput, QWidget):
    hovered = Signal(object)
    """RAS point under the cursor, or an empty tuple when there is none. (Not ``None``: emitting
    None through ``Signal(object)`` over-released it in PySide6 6.12 on Python 3.11 and crashed
    the interpreter at garbage collection.)"""
    escape_unused = Signal()
    """Esc found nothing to drop in the view (no stroke, preview or angle being drawn):
    the window cancels the background job its job bar shows, as the bar's *Cancel* does."""
    menu_asked = Signal(object)
    """A right click that did not drag (a right drag zooms), outside AI click: the window opens
    the view's menu at this global point (:mod:`.view_context_menu`)."""
    pointer_moved = Signal()
    """The mouse moved over the view (not a slice moved under a still pointer): the user reads
    voxels, and a status line word that gives the line back to the readout goes."""

    def __init__(self, plane: str, controller, parent=None) -> None:
        super().__init__(parent)
        self.plane = plane
        self.controller = controller
        self.last = None
        """The last rendered :class:`~neuroview.render.slices.SliceImage` (what is on screen)."""
        self.covered_to = None
        """Set by the window: a callable giving the row down to which a notice or error bar
        covers this view (0: none); measurement labels are drawn below it and the title strip."""
        self._press = None
        self._button = None
        self._dragged = False   # the right button moved past the drag distance (a zoom, no menu)
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
        """Whole pictures drawn (for tests: a wheel step elsewhere makes none)."""
        self.samplings = 0
        """Those of them sampled from the volume: a window/level change re-maps the values of the
        picture before (its ``sampled`` and ``labels``), a new slice, zoom, pan or image samples."""
        self._base = None      # the picture without the crosshair
        self._key = None       # the _render_key it was drawn for
        self._annotated = None  # the crosshair, caption and slice number drawn on ``last``
        self._texts: list = []   # ``last``'s letters and caption (``render.slices.annotate``)
        self.uploaded_pixels = 0
        """Pixels of the picture handed to Qt (for tests: a wheel step elsewhere hands over only the
        crosshair line's rows or columns, not the whole picture)."""
        self.thin_shown = False
        """The picture is the thin slice of an oblique thick slab whose values are not there yet
        (moving, or being computed: the title says so)."""
        self.slab = SlabPicture(self.invalidate, self)
        """The oblique thick slab: computed off the GUI thread once the view is still."""
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMinimumSize(96, 96)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        controller.changed.connect(self._state_changed)  # the render key tells whether to resample
        controller.labels_changed.connect(self.invalidate)
        controller.mode_changed.connect(self._mode_changed)  # a method: gone with the widget
        controller.measurements_changed.connect(self._measurements_changed)
        controller.reveal.connect(self._reveal)

    # -- drawing --------------------------------------------------------------------------------
    def render(self, width: int | None = None, height: int | None = None, overlays: bool = True,
               thin: bool = False, sampled=None, sampled_labels=None, sampled_fusion=None):
        """The view's picture; ``overlays=False``: without crosshair, letters and caption;
        ``thin``: the thin slice where the view holds a thick slab; ``sampled``,
        ``sampled_labels``, ``sampled_fusion``: the image's (the slab's), labels' and overlay
        series' values at the pixels, computed beforehand (``render.slices.render_slice``)."""
        c = self.controller
        width, height = width or self.width(), height or self.height()
        return render_view(c.volume, c.state, self.plane, width, height, labels=c.display_labels(),
                           crosshair=overlays, annotations=overlays, threshold=c.threshold_preview,
                           thin=thin, sampled=sampled, sampled_labels=sampled_labels,
                           sampled_fusion=sampled_fusion)

    def _annotations(self) -> tuple:
        state = self.controller.state
        crosshair = self.controller.shown_crosshair()
        return (None if crosshair is None else tuple(crosshair),
                view_caption(self.controller.volume, state.frame,
                             state.slice_label(self.plane, slab=not self.thin_shown)),
                state.slice_number_text(self.plane),
                made_up_note(self.controller.volume, state, self.plane, slab=not self.thin_shown))

    def _compose(self) -> None:
        """``last`` = the picture with the crosshair, letters and caption drawn on a copy. When
        only the crosshair moved over the same picture (a wheel step in another view), a copy of
        ``last`` with its lines moved (``render.slices.move_crosshair``): its letters and
        caption are not drawn again, but where the line under them changed."""
        base, state, last = self._base, self.controller.state, self.last
        annotated, scale = self._annotations(), self.devicePixelRatioF()
        before = self._annotated
        if before is not None and last is not None and last.geometry is base.geometry \
                and before[1:] == annotated[1:] and None not in (before[0], annotated[0]):
            rgb = last.rgb.copy()   # a new array: a picture handed out before stays as it was
            if move_crosshair(rgb, base.rgb, base.geometry, before[0], annotated[0],
                              self._texts, scale):
                self.last, self._annotated = dataclasses.replace(last, rgb=rgb), annotated
                return
        self.last = dataclasses.replace(base, rgb=base.rgb.copy())  # labels: shared, read-only
        self._texts = annotate(self.last.rgb, base.geometry, self.controller.shown_crosshair(),
                                    state.orientation_letters(self.plane), annotated[1],
                                    scale=scale, number=annotated[2], warning=annotated[3])
        self._annotated = annotated

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

    def _reveal(self, p_ras) -> None:
        """Pan so that ``p_ras`` lies at the view's centre when the view does not show it well
        (the zoom is kept; a view that shows it away from its edges is left alone, as ITK-SNAP's
        and Slicer's jumps do). Within :data:`REVEAL_MARGIN` of an edge counts as not shown: a
        lesion 5 pixels from a zoomed view's corner, or under the notice bar floating over the
        views' top, was left there, a sliver of it in sight."""
        state = self.controller.state
        if state is None or self.plane not in state.views:
            return
        geometry = self._geometry()
        x, y = geometry.ras_to_pixel(p_ras)
        width, height = self.width(), self.height()
        margin_x, margin_y = REVEAL_MARGIN * width, REVEAL_MARGIN * height
        if margin_x <= x < width - margin_x and margin_y <= y < height - margin_y:
            return
        view = state.views[self.plane]
        view.pan_mm = view.pan_mm + np.array([x - width / 2, y - height / 2]) * geometry.mm_per_pixel
        self.controller.changed.emit()

    def _state_changed(self) -> None:
        """The view state changed: when only the crosshair moved over an unchanged picture (a wheel
        step in another view), repaint only the rows and columns its lines left and reach. The
        slice may have moved under a still pointer (a jump to a lesion, a click in another view):
        the status bar reads the point now under it."""
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
        old, new = self._annotated, self._annotations()
        if new[1:] != old[1:]:   # the caption or the slice number changed: all is drawn
            return None
        if None in (old[0], new[0]):   # lines hidden (View > Crosshair): nothing, or all, to draw
            return QRegion() if old[0] == new[0] else None
        return slice_picture.crosshair_region(last.geometry, old[0], new[0], hidpi.device_size(self),
                                              self.devicePixelRatioF())

    def invalidate(self) -> None:
        """The view state or the labels changed in a way a rectangle cannot describe: redraw all."""
        self._stale = True
        self.update()

    def refresh_box(self, box) -> None:
        """Voxels in ``box`` (``(lo, hi)`` of the label map) changed: redraw only where they show.
        The status bar reads the label under a still pointer again (an undo, a lesion rejected
        from the list: it kept ``label 1: lesion`` until the mouse moved)."""
        self._report_pointer()
        c = self.controller
        labels = c.display_labels()
        last = self.last
        if self._stale or last is None or labels is None or c.state is None or self.thin_shown:
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
        part = slice_picture.render_part(c, self.plane, geom, x0, y0, x1, y1, slab=self.slab)
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
            state, size = c.state, hidpi.device_size(self)
            thin_before = self.thin_shown
            sampled, self.thin_shown = self.slab.values(
                c.volume, state.frame, state.geometry(self.plane, *size), state.slabs[self.plane])
            kept = kept_fusion = None if self._stale else self._base
            if kept is None or key[0] != self._key[0] or sampled is not None \
                    or self.thin_shown != thin_before:
                kept = None    # sampled from the volume again (a slab computed: drawn as given)
                self.samplings += 1
            if kept_fusion is not None and key[1] != self._key[1]:
                kept_fusion = None   # another overlay series, plane, zoom or pan: sampled again
            self._base = self.render(*size, overlays=False, thin=self.thin_shown,
                                     sampled=sampled if kept is None else kept.sampled,
                                     sampled_labels=None if kept is None else kept.labels,
                                     sampled_fusion=None if kept_fusion is None else kept_fusion.fusion)
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
        centre = None if radius is None else self.brush_centre_px()   # no brush: not worked out
        if centre is None:
            return
        draw_brush_cursor(painter, centre, radius, self.controller.editor.active_color(),
                          erase=self.controller.mode == "erase")

    def _draw_prompts(self, painter: QPainter) -> None:
        if self.controller.mode == "ai-click":
            draw_prompts(painter, self.controller, self._geometry(), self.plane)

    def _draw_tag(self, painter: QPainter) -> None:
        painter.fillRect(0, 0, 6, TITLE_HEIGHT, TAG_COLORS[self.plane])
        painter.setFont(QFont("Sans", 8))
        # elided with "…" to end before the top orientation letter: "Axial · thin (MIP 10 mm
        # when still)" ran into the A of a view 400 px wide
        title = self.shown_title(painter.fontMetrics())
        # a dark shadow first, as the orientation letters have: light grey alone was lost over
        # bright anatomy at the view's top-left corner
        painter.setPen(QColor(0, 0, 0))
        painter.drawText(TITLE_LEFT + 1, 13, title)
        painter.setPen(QColor(200, 200, 200))
        painter.drawText(TITLE_LEFT, 12, title)

    def shown_title(self, metrics) -> str:
        """:meth:`title` as drawn with the font ``metrics``: elided with "…" to end before the top
        orientation letter; a failed slab's reason is elided first, then dropped, then "thin",
        so that "failed" stays (the title was cut to "Axial · thin (MIP 10 m…" in the 314 px
        views of a 1000 px window)."""
        room = max(self.width() // 2 - TOP_LETTER_HALF - TITLE_LEFT, 0)
        title = self.title()
        state = self.controller.state
        why = self.slab.failure if self.thin_shown and state is not None else ""
        if not why or metrics.horizontalAdvance(title) <= room:
            return metrics.elidedText(title, Qt.ElideRight, room)
        plane, slab = self.plane.capitalize(), state.slabs[self.plane].title()
        head = f"{plane} · thin ({slab} failed"
        reason = metrics.elidedText(why, Qt.ElideRight,
                                    room - metrics.horizontalAdvance(f"{head}: )"))
        # a reason cut to a word or two ("not en…"), not to a letter or two
        shorter = [f"{head}: {reason})"] if len(reason.rstrip("…").strip()) >= 6 else []
        shorter += [f"{head})", f"{plane} · {slab} failed", f"{plane} · failed"]
        fits = [text for text in shorter if metrics.horizontalAdvance(text) <= room]
        return fits[0] if fits else metrics.elidedText(shorter[-1], Qt.ElideRight, room)

    def title(self) -> str:
        """``"Axial"``, or ``"Axial · MIP 10 mm"`` while the view draws a thick slab (so that no one
        reads it as a thin slice); ``"Axial · thin (MIP 10 mm soon)"`` while an oblique slab's
        view moves or its slab is being computed, ``"Axial · thin (MIP 10 mm failed: not enough
        memory)"`` once it failed (``slab_job.SlabPicture.thin_note``)."""
        state = self.controller.state
        slab = state.slabs[self.plane].title() if state is not None else ""
        if slab and self.thin_shown:   # an oblique slab while the view moves
            return f"{self.plane.capitalize()} · {self.slab.thin_note(slab)}"
        return f"{self.plane.capitalize()} · {slab}" if slab else self.plane.capitalize()

    @property
    def shows_open_image(self) -> bool:
        """The picture on screen is of the image open, not still of the one before (``last`` is
        kept from image to image): the 3D view's set-up waits for it (the window's
        ``View3DWidget.slices_painted``). The render key's first item is the image's."""
        return self.last is not None and self._key is not None \
            and self._key[0][0] == Same(self.controller.volume)

    def _shown_geometry(self):
        """:meth:`_geometry` once the view shows a picture (measurements are picked on what the
        user sees), else ``None``."""
        return None if self.controller.state is None or self.last is None else self._geometry()

    def measurement_at(self, x: float, y: float):
        """The ruler, angle, ellipse or rectangle under widget point ``(x, y)``, selected;
        ``None``."""
        return self._measure.measurement_at(self._shown_geometry(), x, y)

    def _draw_measurements(self, painter: QPainter) -> None:
        c, draft, angle = self.controller, self._measure.draft, self._measure.angle
        if not (c.rulers or c.angles or c.ellipses or c.rectangles or draft is not None
                or angle.points):
            return   # nothing to draw: not even the geometry (0.1 ms a view at each wheel step)
        geom = self._geometry()
        # labels below the title strip and below a notice bar floating over the view's top: they
        # were drawn under it, unreadable while it showed
        top = labels_top(self.covered_to)
        draw_saved(painter, self.controller, geom, self.plane, top=top,
                   selected=self.controller.selected)
        # what is being drawn: its label below the title strip too, as the finished ones'
        if draft is not None and self.controller.mode == "ruler":
            draw_rulers(painter, geom, [Ruler(self.plane, *draft)], top=top)
        elif draft is not None and self.controller.mode in STATS_MODES:
            draw_rectangle(painter, geom, *draft, top=top, shape=self.controller.mode)
        elif self.controller.mode == "angle" and angle.points:
            draw_angle(painter, geom, angle.shown(), top=top)
