"""The two panes of *View > Other series > Compare series side by side...* (``compare_window``): the series on
screen on the left, another series of the study on the right, both drawn at one plane of the
patient (the left series' grid), one crosshair, one slice, one zoom; each pane with its own
window/level (a T1 and a FLAIR have nothing alike in their intensities). The right series is
sampled on its own grid at each screen pixel's RAS point (an oblique or coarser series lies where
its voxels are, no resampled copy), as the main window draws an overlay series. The image's
segments (``segments``: the main window's label map and how it shows them) are drawn over both
panes, at each pixel's RAS point likewise: a lesion drawn on the T1 is checked on the FLAIR. One
thick slab (MIP, MinIP, mean) in both panes when one is set (``linked_panes``). The pointer over
either pane reads both series' values at its point (:meth:`SeriesPairWidget.readout`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal

from ..app.frames import time_point_text
from ..app.shell_windows import shell_window
from ..app.view_presets import auto_window_level, intensity_range, shown_unit, shown_value
from ..app.view_state import ViewerState
from ..core.geometry import nearest_voxel
from ..core.volume import Volume
from ..io.echoes import echo_words
from .linked_panes import LinkedPanes
from .qt_guard import guard_overrides
from .wheel import WheelSteps

STEP_KEYS = "Alt+Right / Alt+Left"
"""The keys stepping the other series' time point, as the main window's step its image's."""


@guard_overrides
class SeriesPairWidget(LinkedPanes):
    """``left`` and ``right`` (two series of one patient space) side by side; ``names``: the
    captions of the panes."""

    window_changed = Signal()
    """The window/level of a pane changed (a drag, a preset or a value typed)."""
    pointed = Signal(object)
    """The RAS point under the pointer as it moves over the panes (no button held), or None when
    it leaves them."""

    def __init__(self, left: Volume, right: Volume, names: tuple[str, str], parent=None,
                 slab_worker=None) -> None:
        super().__init__(parent)
        self.baseline, self.right = left, right
        self.names = names
        self.state = ViewerState.for_volume(left)
        self.right_state = ViewerState.for_volume(right)
        """The right pane's window/level (its other fields are unused: the panes share ``state``)."""
        # every time point of a 4D series, as the main window's boxes (read by the loader's worker)
        self.intensity_range = intensity_range(left, every_frame=True)
        self.right_range = intensity_range(right, every_frame=True)
        self.window_level = False   # a left drag changes the window of the pane pressed (F2)
        self.plane = "axial"
        self._side = 0
        self._wheel = WheelSteps()
        self.segments = None
        """``() -> (label map or None, LabelDisplay)``: the segments drawn over both panes and how
        (the main window's visibility, opacity, outline), or None for none."""
        self.edits = 0
        """Edits of the segments seen (:meth:`segments_edited`): their values at the pixels, kept between
        paints, are sampled again after one."""
        self.frames = [0, 0]
        """The time point each pane shows of a 4D series (the left one the main window's)."""
        self.start_slabs(slab_worker)
        self.setMinimumSize(400, 200)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMouseTracking(True)   # the readout follows the pointer

    def set_window_level(self, window: float, level: float) -> None:
        """The left pane's window."""
        self.state.set_window_level(window, level)
        self.window_changed.emit()
        self.update()

    def set_right_window_level(self, window: float, level: float) -> None:
        self.right_state.set_window_level(window, level)
        self.window_changed.emit()
        self.update()

    def set_right(self, volume: Volume) -> None:
        """Show ``volume`` in the right pane (the other series, registered or as it lies)."""
        self.right = volume
        self.update()

    def step_right_frame(self, steps: int) -> None:
        """Alt+Right / Alt+Left (the main window's time-point keys): the next / previous time point
        of a 4D other series (stops at the ends; the left pane follows the main window's)."""
        last = self.right.n_frames - 1
        frame = min(max(self.frames[1] + steps, 0), last)
        if last > 0 and frame != self.frames[1]:
            self._step(1, frame)

    def show_left_frame(self, frame: int) -> None:
        """The left pane at time point ``frame`` (the main window's)."""
        if frame != self.frames[0]:
            self._step(0, frame)

    def _step(self, side: int, frame: int) -> None:
        """Pane ``side`` at time point ``frame``: a DWI's volume of another b-value at that
        b-value's window in this pane, as the main window steps (``app.shell_windows``)."""
        volume, state = (self.baseline, self.state) if side == 0 else (self.right, self.right_state)
        window = shell_window(volume, self.frames[side], frame, (state.window, state.level),
                              state.shell_windows, auto_window_level)
        self.frames[side] = frame
        if window is not None:
            state.set_window_level(*window)
        self.window_changed.emit()   # the presets of the volume shown (``followup_wl``)
        self.update()

    def segments_edited(self, *_box) -> None:
        self.edits += 1
        self.update()

    def mousePressEvent(self, event) -> None:
        self._side = int(event.position().x() >= self.pane_size()[0])
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        if self._button is None:
            self.pointed.emit(self.pointer_ras(event.position().x(), event.position().y()))

    def leaveEvent(self, event) -> None:
        super().leaveEvent(event)
        self.pointed.emit(None)

    def readout(self, p_ras) -> str:
        """``RAS (x, y, z) mm   AX T1 1234   OBL FLAIR 3702   label 1: lesion``: each series' value
        at the voxel holding ``p_ras`` (nearest, as the main window's readout; the other series at
        its place as shown, registered or not), and the segment there."""
        p_ras = np.asarray(p_ras, dtype=float)
        parts = [f"RAS ({p_ras[0]:.1f}, {p_ras[1]:.1f}, {p_ras[2]:.1f}) mm"]
        for volume, name, frame in zip((self.baseline, self.right), self.names, self.frames):
            voxel = nearest_voxel(volume.ras_to_ijk, volume.shape, p_ras)
            unit = shown_unit(volume)
            value = "outside" if voxel is None else \
                shown_value(np.asarray(volume.frame(frame)[voxel]).item()) + (f" {unit}" if unit else "")
            parts.append(f"{name} {value}")
        labels = self.segments()[0] if self.segments is not None else None
        if labels is not None:
            voxel = nearest_voxel(np.linalg.inv(labels.ijk_to_ras), labels.shape, p_ras)
            label = 0 if voxel is None else int(labels.array[voxel])
            if label:
                name = (labels.segments.get(label).name if label in labels.segments
                        else f"Segment {label}")
                parts.append(f"label {label}: {name}")
        return "   ".join(parts)

    def dragged_window(self):
        """The window of the pane the drag started in."""
        if self._side == 1:
            return self.right_state, self.right_range
        return self.state, self.intensity_range

    def captions(self) -> tuple[str, str]:
        """What each pane says it shows in its top-left corner: the series' name, and the time
        point of a 4D one (``"run (time point 3 of 20)"``), the right one's with the keys that
        step it (``"..., Alt+Right / Alt+Left)"``: the left one follows the main window's); an
        echo of a multi-echo series its echo, ``"gre_e2 (echo 2, TE 10 ms)"`` (``io.echoes``)."""
        out = []
        for volume, name, frame, keys in zip((self.baseline, self.right), self.names, self.frames,
                                             ("", f", {STEP_KEYS}")):
            when, echo = time_point_text(volume, frame), echo_words(volume.source_metadata)
            out.append(f"{name} ({when}{keys})" if when else f"{name} ({echo})" if echo else name)
        return out[0], out[1]

    def pane_images(self) -> tuple[np.ndarray, np.ndarray]:
        """The RGB pictures of the left and right panes, as drawn (in screen pixels)."""
        geom = self.state.geometry(self.plane, *self.pane_device_size())
        labels, display = self.segments() if self.segments is not None else (None, None)
        slab = self.state.slabs[self.plane].title()
        out, thin = [], []
        for side, (volume, state) in enumerate(((self.baseline, self.state),
                                                (self.right, self.right_state))):
            frame = self.frames[side]
            rgb, shown_thin = self.pane_picture(side, volume, geom, state.window, state.level,
                                                labels, display, self.edits, frame)
            # each series numbered by its own slices: the right one read '7/12', the left
            # one's count, over a prior of 40 slices (session 52's walk)
            number = self.state.slice_number_text_of(self.plane, volume.shape, volume.ijk_to_ras)
            self.mark_pane(rgb, geom, self.captions()[side], shown_thin,
                           self.slabs[side].thin_note(slab), volume, number)
            out.append(rgb)
            thin.append(shown_thin)
        self.thin = tuple(thin)
        return out[0], out[1]
