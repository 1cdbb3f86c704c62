"""The two linked panes of the follow-up window (``followup_window``): the baseline and the later
study (resampled onto the baseline grid) in one plane, one crosshair, flicker and subtraction,
and one thick slab (MIP, MinIP, mean) in both, as PACS viewers link a MIP across comparison panes:
on an oblique plane each pane's slab is computed off the GUI thread (``slab_job``), the pane
showing its thin slice meanwhile, its caption saying so."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal

from ..app.followup_display import subtraction_spread
from ..app.view_presets import intensity_range
from ..app.view_state import PLANES, ViewerState
from ..core.labels import LabelMap
from ..core.same_object import Same
from ..core.volume import Volume
from ..render.slices import annotate, render_slice
from ..render.text import draw_text
from .linked_panes import LinkedPanes
from .qt_guard import guard_overrides
from .slab_job import SlabPicture, SlabWorker
from .slice_picture import place_key
from .wheel import WheelSteps

CAPTION_COLOR = (230, 230, 230)
"""The colour of each pane's caption: the study it shows, in its top-left corner."""



MARKED_COLOR = (120, 150, 210)
"""The outline of a lesion the reader marked wrong (``followup_marking``): grey-blue, no grey of
the image."""


def shown_labels(lesions: np.ndarray, marked, affine) -> LabelMap:
    """The lesion outlines a pane draws: value 1, and 2 (grey-blue) where ``marked``."""
    array = lesions.astype(np.uint8)
    if marked is not None:
        array[marked & lesions] = 2
    labels = LabelMap.from_array(array, affine, {1: "lesion", 2: "marked wrong"})
    if 2 in labels.segments.segments:
        labels.segments.segments[2].color = MARKED_COLOR
    return labels


@guard_overrides
class FollowupPairWidget(LinkedPanes):
    """Two linked panes of one plane: baseline on the left, later study (or flicker/subtraction)
    on the right."""

    window_changed = Signal()
    """The window/level of both panes changed (a drag or a preset)."""
    changed = Signal()
    """The panes' thick slab changed (the window's *Slab* row follows it, ``slab_row``)."""

    def __init__(self, baseline: Volume, baseline_lesions: np.ndarray, later_image: np.ndarray,
                 later_lesions: np.ndarray, spread: float | None = None, parent=None,
                 slab_worker=None) -> None:
        super().__init__(parent)
        self.baseline = baseline
        self.baseline_lesions = np.asarray(baseline_lesions) > 0
        self.baseline_labels = shown_labels(self.baseline_lesions, None, baseline.ijk_to_ras)
        self.state = ViewerState.for_volume(baseline)
        self.intensity_range = intensity_range(baseline)
        self.window_level = False   # a left drag changes the window (the Window/level button, F2)
        self.state.labels.outline = True
        self.state.labels.opacity = 1.0
        self.plane = "axial"
        self.flicker = False
        self.subtraction = False
        self.names = ("baseline", "follow-up")   # the studies, as the window and report name them
        self._wheel = WheelSteps()
        self.slabs = (SlabPicture(self.update, self), SlabPicture(self.update, self))
        """The left and right panes' oblique thick slabs, computed once the panes are still, by
        ``slab_worker`` (the main window's: one thread for all views) or one of the pair's."""
        worker = slab_worker if slab_worker is not None else SlabWorker(self)
        for picture in self.slabs:
            picture.job.use(worker)
        self._kept: list = [None, None]   # each pane's (key, sampled values, labels) drawn last
        self.samplings = 0
        """Pane pictures sampled from their image (for tests: a window/level change samples none)."""
        self.thin = (False, False)
        """Whether the left and right panes showed their thin slice at the last drawing, an
        oblique slab being computed (their captions say so)."""
        self.set_later(later_image, later_lesions, spread)
        self.setMinimumSize(400, 200)
        self.setFocusPolicy(Qt.StrongFocus)

    def set_later(self, later_image: np.ndarray, later_lesions: np.ndarray,
                  spread: float | None = None) -> None:
        """Show another later study (already on the baseline grid) in the right pane; ``spread``:
        its :func:`~neuroview.app.followup_display.subtraction_spread` (made here when not given)."""
        affine = self.baseline.ijk_to_ras
        self.later = self.baseline.derived(np.asarray(later_image, dtype=np.float32))
        self.difference = Volume(self.later.array - self.baseline.array.astype(np.float32), affine)
        self.later_lesions = np.asarray(later_lesions) > 0
        self.later_labels = shown_labels(self.later_lesions, None, affine)
        if spread is None:
            spread = subtraction_spread(self.baseline.array, self.later.array)
        self.difference_window = (2.0 * spread, 0.0)
        self.update()

    def show_marked(self, baseline_marked, later_marked) -> None:
        """Outline the lesions the reader marked wrong (masks on the baseline grid, or None) in
        grey-blue, the others as before."""
        affine = self.baseline.ijk_to_ras
        self.baseline_labels = shown_labels(self.baseline_lesions, baseline_marked, affine)
        self.later_labels = shown_labels(self.later_lesions, later_marked, affine)
        self.update()

    def captions(self) -> tuple[str, str]:
        """What each pane says it shows, in its top-left corner: the panes were unnamed, and with
        Flicker on the right pane showed the baseline with no word of it (the s33 walk)."""
        baseline, later = self.names
        if self.subtraction:
            return baseline, f"{later} minus {baseline}"
        if self.flicker:
            return baseline, f"flicker: {baseline}"
        return baseline, later

    def set_window_level(self, window: float, level: float) -> None:
        """The window of both panes (the subtraction keeps its own)."""
        self.state.set_window_level(window, level)
        self.window_changed.emit()
        self.update()

    def set_slab(self, slab, _plane: str | None = None) -> None:
        """Draw a thick slab (``app.view_slab.Slab``; thickness 0: the thin slice) in both panes,
        in every plane (the *Slab* row's call, as the main window's controller takes it)."""
        for plane in PLANES:
            self.state.slabs[plane] = slab
        self.changed.emit()
        self.update()

    def _pane(self, side: int, volume: Volume, geom, window: float, level: float,
              labels: LabelMap | None = None) -> tuple[np.ndarray, bool]:
        """``(picture, thin)`` of one pane: ``volume``'s thick slab when one is set, or its thin
        slice while an oblique slab is computed (``thin``); the outlines stay the thin slice's."""
        slab = self.state.slabs[self.plane]
        sampled, thin = self.slabs[side].values(volume, 0, geom, slab)
        # what the values at the pixels depend on: a window/level change (or a crosshair moved
        # within the plane) re-maps the values kept, as the main window's views do (slice_picture)
        key = (Same(volume), *place_key(geom), slab, thin, Same(labels))
        kept = self._kept[side]
        if sampled is not None or kept is None or kept[0] != key:
            kept = None
            self.samplings += 1
        image = render_slice(volume, geom, window, level, labels,
                             None if labels is None else self.state.labels,
                             slab=None if thin else slab,
                             sampled=sampled if kept is None else kept[1],
                             sampled_labels=None if kept is None else kept[2])
        self._kept[side] = (key, image.sampled, image.labels)
        return image.rgb, thin

    def pane_images(self) -> tuple[np.ndarray, np.ndarray]:
        """The RGB pictures of the left and right panes, as drawn (in screen pixels)."""
        geom = self.state.geometry(self.plane, *self.pane_device_size())
        window, level = self.state.window, self.state.level
        left, left_thin = self._pane(0, self.baseline, geom, window, level, self.baseline_labels)
        if self.subtraction:
            right, right_thin = self._pane(1, self.difference, geom, *self.difference_window)
        elif self.flicker:
            right, right_thin = left.copy(), left_thin
        else:
            right, right_thin = self._pane(1, self.later, geom, window, level, self.later_labels)
        self.thin = (left_thin, right_thin)
        scale, slab = self.devicePixelRatioF(), self.state.slabs[self.plane].title()
        notes = [picture.thin_note(slab) for picture in self.slabs]
        if self.flicker and not self.subtraction:
            notes[1] = notes[0]   # the right pane shows the left one's picture
        for rgb, caption, thin, note in zip((left, right), self.captions(), (left_thin, right_thin),
                                            notes):
            # the crosshair, orientation letters and slice position, as in the main window's views
            annotate(rgb, geom, self.state.crosshair_ras, self.state.orientation_letters(self.plane),
                     self.state.slice_label(self.plane, slab=not thin), scale=scale,
                     number=self.state.slice_number_text(self.plane))
            x, y = caption_corner(scale)
            draw_text(rgb, caption, x, y, CAPTION_COLOR, "top-left", size=round(12 * scale))
            if thin:   # an oblique slab being computed: not to be read as the slab (a line of
                # its own: after the study's name it ran into the top letter of a 490 px pane)
                draw_text(rgb, note, x, y + 15 * scale, CAPTION_COLOR, "top-left",
                          size=round(12 * scale))
        return left, right

    def show_point(self, p_ras) -> None:
        """The crosshair to ``p_ras``, and a zoomed plane that does not show it centred on it:
        a jump from the table to a lesion outside the zoomed panes showed no lesion."""
        self.set_crosshair(p_ras)
        size = self.pane_device_size()
        for plane, view in self.state.views.items():
            geometry = self.state.geometry(plane, *size)
            x, y = geometry.ras_to_pixel(p_ras)
            if not (0 <= x < size[0] and 0 <= y < size[1]):
                off_centre = np.array([x - size[0] / 2, y - size[1] / 2])
                view.pan_mm = view.pan_mm + off_centre * geometry.mm_per_pixel

def caption_corner(scale: float = 1.0) -> tuple[float, float]:
    """Where a pane's caption starts (its top-left corner), in the pane's pixels."""
    return 4 * scale, 3 * scale
