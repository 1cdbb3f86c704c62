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
from ..app.view_state import ViewerState
from ..core.labels import LabelMap
from ..core.volume import Volume
from .linked_panes import LinkedPanes
from .qt_guard import guard_overrides
from .wheel import WheelSteps

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

    def __init__(self, baseline: Volume, baseline_lesions: np.ndarray, later_image: np.ndarray,
                 later_lesions: np.ndarray, spread: float | None = None, made_up=(), parent=None,
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
        self.start_slabs(slab_worker)
        self.set_later(later_image, later_lesions, spread, made_up)
        self.setMinimumSize(400, 200)
        self.setFocusPolicy(Qt.StrongFocus)

    def set_later(self, later_image: np.ndarray, later_lesions: np.ndarray,
                  spread: float | None = None, made_up=()) -> None:
        """Show another later study (already on the baseline grid) in the right pane; ``spread``:
        its :func:`~neuroview.app.followup_display.subtraction_spread` (made here when not given);
        ``made_up``: the baseline grid's slices showing one it made up (marked in orange)."""
        affine = self.baseline.ijk_to_ras
        self.later = self.baseline.derived(np.asarray(later_image, dtype=np.float32),
                                           made_up_slices=tuple(made_up))
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

    def pane_images(self) -> tuple[np.ndarray, np.ndarray]:
        """The RGB pictures of the left and right panes, as drawn (in screen pixels)."""
        geom = self.state.geometry(self.plane, *self.pane_device_size())
        window, level = self.state.window, self.state.level
        display = self.state.labels
        left, left_thin = self.pane_picture(0, self.baseline, geom, window, level,
                                            self.baseline_labels, display)
        if self.subtraction:
            right, right_thin = self.pane_picture(1, self.difference, geom, *self.difference_window)
        elif self.flicker:
            right, right_thin = left.copy(), left_thin
        else:
            right, right_thin = self.pane_picture(1, self.later, geom, window, level,
                                                  self.later_labels, display)
        self.thin = (left_thin, right_thin)
        slab = self.state.slabs[self.plane].title()
        notes = [picture.thin_note(slab) for picture in self.slabs]
        if self.flicker and not self.subtraction:
            notes[1] = notes[0]   # the right pane shows the left one's picture
        volumes = (self.baseline, self.difference if self.subtraction
                   else self.baseline if self.flicker else self.later)
        for rgb, caption, thin, note, volume in zip((left, right), self.captions(),
                                                    (left_thin, right_thin), notes, volumes):
            self.mark_pane(rgb, geom, caption, thin, note, volume)
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
