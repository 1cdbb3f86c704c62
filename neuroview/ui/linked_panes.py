"""Two linked panes of one plane in one widget, one crosshair, one slice, one zoom: what the
follow-up window's pair (``followup_pair``) and the side-by-side series (``compare_pair``) share.
Both panes are drawn at one geometry of the left pane's grid (``state``, a
:class:`~neuroview.app.view_state.ViewerState`); the subclass's ``pane_images()`` gives the two
pictures. The mouse is :class:`~neuroview.ui.followup_mouse.PaneMouse`'s; the keys step the slice,
Home/End go to the first/last slice and R resets the zoom, as in the main window's views."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from ..app.view_state import PLANES
from ..core.geometry import apply_affine, clamped_voxel
from . import hidpi
from .followup_mouse import PaneMouse
from .key_focus import plain
from .qt_guard import guard_overrides

SLICE_KEYS = {Qt.Key_Up: 1, Qt.Key_PageUp: 1, Qt.Key_Right: 1,
              Qt.Key_Down: -1, Qt.Key_PageDown: -1, Qt.Key_Left: -1}
"""Keys that step the slice, and which way (the main window's slice views take the same)."""


@guard_overrides
class LinkedPanes(PaneMouse, QWidget):
    """The left and right halves of the widget; ``baseline``: the volume whose voxels the
    crosshair snaps to and whose grid the planes step through, ``state`` its viewer state,
    ``plane`` the plane shown."""

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
        w, _ = self.pane_size()
        x = min(max(x, 0.0), 2 * w - 1.0)
        p_ras = self.pane_geometry().pixel_to_ras(*hidpi.pixel_centre(x % w, y, self.devicePixelRatioF()))
        grid = self.baseline
        return apply_affine(grid.ijk_to_ras, clamped_voxel(grid.ras_to_ijk, grid.shape, p_ras).astype(float))

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in SLICE_KEYS and plain(event):   # as in the main window's views
            self.state.scroll(self.plane, SLICE_KEYS[key])
        elif key in (Qt.Key_Home, Qt.Key_End) and plain(event):   # first / last slice, as there
            across = self.state.slices_across(self.plane)
            self.state.scroll(self.plane, -across if key == Qt.Key_Home else across)
        elif key == Qt.Key_R and plain(event):   # zoom and pan back to the whole image, as R
            self.state.reset_view(self.plane)
        else:
            super().keyPressEvent(event)
            return
        self.update()
