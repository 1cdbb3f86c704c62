"""Two linked panes of one plane in one widget, one crosshair, one slice, one zoom: what the
follow-up window's pair (``followup_pair``) and the side-by-side series (``compare_pair``) share.
Both panes are drawn at one geometry of the left pane's grid (``state``, a
:class:`~neuroview.app.view_state.ViewerState`); the subclass's ``pane_images()`` gives the two
pictures (each drawn by :meth:`LinkedPanes.pane_picture`: a thick slab in both panes when one is
set, an oblique one computed off the GUI thread, ``slab_job``). The mouse is
:class:`~neuroview.ui.followup_mouse.PaneMouse`'s; the keys step the slice, Home/End go to the
first/last slice, +/- zoom and R resets the zoom, as in the main window's views."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from ..app.view_state import PLANES
from ..core.geometry import apply_affine, clamped_voxel
from ..core.same_object import Same
from ..render.slices import annotate, made_up_note, render_slice
from ..render.text import draw_text
from . import hidpi
from .followup_mouse import PaneMouse
from .key_focus import plain
from .qt_guard import guard_overrides
from .slab_job import SlabPicture, SlabWorker
from .slice_input import KEY_ZOOM, ZOOM_KEYS
from .slice_picture import place_key

CAPTION_COLOR = (230, 230, 230)
"""The colour of each pane's caption: the series or study it shows, in its top-left corner."""

SLICE_KEYS = {Qt.Key_Up: 1, Qt.Key_PageUp: 1, Qt.Key_Right: 1,
              Qt.Key_Down: -1, Qt.Key_PageDown: -1, Qt.Key_Left: -1}
"""Keys that step the slice, and which way (the main window's slice views take the same)."""


@guard_overrides
class LinkedPanes(PaneMouse, QWidget):
    """The left and right halves of the widget; ``baseline``: the volume whose voxels the
    crosshair snaps to and whose grid the planes step through, ``state`` its viewer state,
    ``plane`` the plane shown."""

    changed = Signal()
    """The panes' thick slab changed (a window's *Slab* row follows it, ``slab_row``)."""

    def start_slabs(self, slab_worker=None) -> None:
        """Each pane's oblique thick slab, computed once the panes are still by ``slab_worker``
        (the main window's: one thread for all views) or one of the panes' own."""
        self.slabs = (SlabPicture(self.update, self), SlabPicture(self.update, self))
        worker = slab_worker if slab_worker is not None else SlabWorker(self)
        for picture in self.slabs:
            picture.job.use(worker)
        self._kept: list = [None, None]   # each pane's (key, values, labels' key, labels) drawn last
        self.samplings = 0
        """Pane pictures sampled from their image (for tests: a window/level change samples none)."""
        self.thin = (False, False)
        """Whether the left and right panes showed their thin slice at the last drawing, an
        oblique slab being computed (their captions say so)."""

    def set_slab(self, slab, _plane: str | None = None) -> None:
        """Draw a thick slab (``app.view_slab.Slab``; thickness 0: the thin slice) in both panes,
        in every plane (the *Slab* row's call, as the main window's controller takes it)."""
        for plane in PLANES:
            self.state.slabs[plane] = slab
        self.changed.emit()
        self.update()

    def pane_picture(self, side: int, volume, geom, window: float, level: float, labels=None,
                     display=None, labels_key=None, frame: int = 0) -> tuple[np.ndarray, bool]:
        """``(picture, thin)`` of one pane: ``volume``'s thick slab when one is set, or its thin
        slice while an oblique slab is computed (``thin``); ``labels`` (a label map on any grid)
        drawn as ``display`` says (``app.view_state.LabelDisplay``), at the thin slice; the grey
        scale turned over when ``state.inverted`` (the main window's *View > Invert*).
        ``labels_key``: what else the labels' values depend on (a count of edits); ``frame``: the
        time point of a 4D ``volume``."""
        slab = self.state.slabs[self.plane]
        sampled, thin = self.slabs[side].values(volume, frame, geom, slab)
        # what the values at the pixels depend on: a window/level change (or a crosshair moved
        # within the plane) re-maps the values kept, as the main window's views do (slice_picture);
        # an edit of the labels samples the labels alone again
        key = (Same(volume), frame, *place_key(geom), slab, thin)
        labels_now = (Same(labels), labels_key)
        kept = self._kept[side]
        if sampled is not None or kept is None or kept[0] != key:
            kept = None
            self.samplings += 1
        image = render_slice(volume, geom, window, level, labels, display, frame=frame,
                             slab=None if thin else slab, invert=self.state.inverted,
                             sampled=sampled if kept is None else kept[1],
                             sampled_labels=None if kept is None or kept[2] != labels_now
                             else kept[3])
        self._kept[side] = (key, image.sampled, labels_now, image.labels)
        return image.rgb, thin

    def mark_pane(self, rgb: np.ndarray, geom, caption: str, thin: bool, note: str,
                  volume=None, number: str = "") -> None:
        """The crosshair, orientation letters and slice position, as in the main window's views,
        and the pane's ``caption`` in its top-left corner; ``note`` below it when the pane shows
        its ``thin`` slice, an oblique slab being computed (a line of its own: after the name it
        ran into the top letter of a 490 px pane). A made-up slice of ``volume``, the pane's
        series, is marked as the main window's views mark it (``render.slices.made_up_note``;
        the panes did not until session 45). ``number``: the slice number in the lower right
        corner, when not the left pane's grid's (``18/30``)."""
        scale = self.devicePixelRatioF()
        annotate(rgb, geom, self.state.crosshair_ras, self.state.orientation_letters(self.plane),
                 self.state.slice_label(self.plane, slab=not thin), scale=scale,
                 number=number or self.state.slice_number_text(self.plane),
                 warning=made_up_note(volume, self.state, self.plane, slab=not thin))
        x, y = caption_corner(scale)
        draw_text(rgb, caption, x, y, CAPTION_COLOR, "top-left", size=round(12 * scale))
        if thin:
            draw_text(rgb, note, x, y + 15 * scale, CAPTION_COLOR, "top-left", size=round(12 * scale))

    def set_plane(self, plane: str) -> None:
        if plane not in PLANES:
            raise ValueError(f"plane must be one of {PLANES}, got {plane!r}")
        self.plane = plane
        self.update()

    def pane_size(self) -> tuple[int, int]:
        return max(self.width() // 2, 1), max(self.height(), 1)

    def pane_device_size(self) -> tuple[int, int]:
        """Screen pixels of a pane: its pictures are rendered at the screen's resolution (on a
        HiDPI screen they were rendered in points and upscaled: a blurry image and letters)."""
        return hidpi.device_pixels(*self.pane_size(), self.devicePixelRatioF())

    def pane_geometry(self):
        """Pane position (points) to RAS: the pictures' geometry in points (:mod:`.hidpi`)."""
        screen = self.state.geometry(self.plane, *self.pane_device_size())
        return hidpi.in_points(screen, self.devicePixelRatioF(), *self.pane_size())

    def pane_images(self) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        w, _ = self.pane_size()
        ratio = self.devicePixelRatioF()
        for x, rgb in zip((0, w), self.pane_images()):
            rgb = np.ascontiguousarray(rgb)
            painter.drawImage(QPointF(x, 0), hidpi.picture(rgb, ratio))
        painter.end()

    def set_crosshair(self, p_ras) -> None:
        self.state.set_crosshair(p_ras)
        self.update()

    def voxel_ras(self, x: float, y: float) -> np.ndarray:
        """Centre of the baseline voxel drawn under the pointer at widget position (x, y), in
        either pane, as the main window's views take it (``SliceViewWidget._voxel_ras``): the
        centre of the screen pixel under the pointer (a mouse position is its corner), snapped
        to the voxel drawn there. Beyond the grid (a drag past a pane's edge), the voxel at its edge,
        as the main window's views stop there (it went to the pointer, the other planes off the
        image; past the panes' outer edge the pointer was taken in the other side of the pane)."""
        p_ras = self.pointer_ras(x, y)
        grid = self.baseline
        return apply_affine(grid.ijk_to_ras, clamped_voxel(grid.ras_to_ijk, grid.shape, p_ras).astype(float))

    def pointer_ras(self, x: float, y: float) -> np.ndarray:
        """The RAS point either pane shows at widget position (x, y): the centre of the screen
        pixel there (past the panes' outer edges, of the pixel at the edge)."""
        w, _ = self.pane_size()
        x = min(max(x, 0.0), 2 * w - 1.0)
        return self.pane_geometry().pixel_to_ras(*hidpi.pixel_centre(x % w, y, self.devicePixelRatioF()))

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in SLICE_KEYS and plain(event):   # as in the main window's views
            self.state.scroll(self.plane, SLICE_KEYS[key])
        elif key in (Qt.Key_Home, Qt.Key_End) and plain(event):   # first / last slice, as there
            across = self.state.slices_across(self.plane)
            self.state.scroll(self.plane, -across if key == Qt.Key_Home else across)
        elif key in ZOOM_KEYS and not event.modifiers() & Qt.AltModifier:   # +/-, as there
            self.state.zoom_by(self.plane, KEY_ZOOM ** ZOOM_KEYS[key])   # about the centre
        elif key == Qt.Key_R and plain(event):   # zoom and pan back to the whole image, as R
            self.state.reset_view(self.plane)
        else:
            super().keyPressEvent(event)
            return
        self.update()


def caption_corner(scale: float = 1.0) -> tuple[float, float]:
    """Where a pane's caption starts (its top-left corner), in the pane's pixels."""
    return 4 * scale, 3 * scale
