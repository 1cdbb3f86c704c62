"""The segment editor's *Threshold* tool in the window: its range sliders, *Use for masking*, a
starting range, and the live preview over the slice views.

While the tool is picked, every slice view tints the voxels in the range in the selected
segment's colour (``render.threshold``, per shown slice: moving a slider redraws at once on a
256^3 image); *Apply* (``EditController.apply_tool``) makes them the segment. On the first pick
for an image the range starts at (Otsu's threshold, the maximum), as ITK-SNAP and Slicer start
from the image. *Use for masking* gives the range to Paint and Fill ("Only intensity from/to").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QSlider, QWidget

from ..app.view_presets import window_decimals
from ..core.edit.base import protected_lut
from ..core.edit.threshold import otsu, sample
from .workers import JobRunner

PREVIEW_OPACITY = 0.5
SLIDER_STEPS = 1000


@dataclass(frozen=True)
class ThresholdOverlay:
    """What the slice views draw for the preview (part of their picture's key: hashable)."""

    low: Optional[float]
    high: Optional[float]
    color: tuple
    opacity: float = PREVIEW_OPACITY
    protected: tuple = ()
    """Label values that *Apply* leaves alone (locked; or spared by the overwrite policy)."""


class ThresholdOptions(QObject):
    """The Threshold page of the panel (``editor_panel.SegmentEditorPanel``): its spin boxes come
    from ``editor_options.OPTIONS``; the sliders under them and *Use for masking* are added here
    when the page is built (:meth:`attach`: at the tool's first pick)."""

    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.panel, self.editor, self.viewer = panel, panel.editor, panel.viewer
        self.extent = (0.0, 1.0)   # the image's minimum and maximum
        self._extent_of = None     # the volume they were measured on
        self._measuring = None     # (volume, time point) being measured off the GUI thread
        self._runner = JobRunner(self)   # its own: no progress bar for a fraction of a second
        self.spins, self.sliders = {}, {}   # the page's, once built
        self.mask_button = None
        self.editor.params_changed.connect(self.update)
        self.editor.segments_changed.connect(self.update)
        self.editor.case_changed.connect(self._case_changed)

    def attach(self, form: QFormLayout, spins: dict) -> None:
        """The page built: ``spins`` (Minimum, Maximum in ``form``) each get a slider on their row,
        and *Use for masking* goes below."""
        self.spins = spins
        for param in ("low", "high"):   # the spin box and a slider on one row (a short dock)
            spin = self.spins[param]
            spin.setKeyboardTracking(True)   # the preview follows the digits typed
            spin.valueChanged.connect(lambda _v, p=param: self._push(p))   # after set_params
            spin.editingFinished.connect(lambda p=param: self._push(p, typed=True))
            row = form.getWidgetPosition(spin)[0]
            slider = QSlider(Qt.Horizontal)
            slider.setRange(0, SLIDER_STEPS)
            slider.valueChanged.connect(lambda position, p=param: self._slid(p, position))
            both = QWidget()
            line = QHBoxLayout(both)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(spin, 2)   # taken out of the form, which drops its place
            line.addWidget(slider, 3)
            form.setWidget(row, QFormLayout.FieldRole, both)
            self.sliders[param] = slider
        self.mask_button = QPushButton("Use for masking")
        self.mask_button.setToolTip("Paint and Fill then change only voxels in this intensity range")
        self.mask_button.clicked.connect(self.use_for_masking)
        form.addRow(self.mask_button)

    # -- the image's range ----------------------------------------------------------------------
    def _case_changed(self) -> None:
        self._extent_of = None   # measured when the tool is first picked for this image
        self.update()

    def _measure(self, volume, frame: int) -> None:
        """The image's range and the starting range, measured off the GUI thread (one pass over
        the image, every time point of a 4D one, and Otsu's threshold of the time point on
        screen: once per image, when the tool is first picked, not at every open); the preview
        follows when they arrive. On the GUI thread they held the window 0.1 s on the demo head
        at load 3, 0.5-0.85 s at load 11 (newuser41)."""
        if self._measuring == (volume, frame):
            return
        self._measuring = (volume, frame)
        self._runner.start(lambda progress, cancel: starting_range(volume, frame),
                           on_done=lambda result: self._measured(volume, frame, *result),
                           on_error=lambda text: self._not_measured(volume, frame, text),
                           label="threshold range")

    def _not_measured(self, volume, frame: int, text: str) -> None:
        """Measuring failed: said on the red bar; the next pick tries again."""
        if self._measuring == (volume, frame):
            self._measuring = None
        self.editor.error.emit(f"Threshold: the image's range could not be measured: {text}")

    def _measured(self, volume, frame: int, extent: tuple, otsu_low: float, top: float) -> None:
        """The range of ``volume`` arrived: the spin boxes' and sliders' range is the image's
        minimum to maximum. Decimals as the Window boxes show for that range
        (``window_decimals``: 3 for 0-1, 2 for an SUV 0-12), whole numbers for an integer image
        (CT in HU, most MR); a step of about 1/200 of it. On the first pick the range starts at
        (Otsu's threshold, the maximum)."""
        if self._measuring == (volume, frame):
            self._measuring = None
        if volume is not self.viewer.volume:   # another image opened since: measured anew
            return
        self.extent = extent
        self._extent_of = volume
        span = self.extent[1] - self.extent[0]
        integer = np.issubdtype(volume.array.dtype, np.integer)
        decimals = 0 if integer else window_decimals(*self.extent)
        for spin in self.spins.values():
            spin.blockSignals(True)
            spin.setDecimals(decimals)
            spin.setRange(*self.extent)
            spin.setSingleStep(max(round(span / 200, decimals), 10.0 ** -decimals))
            spin.blockSignals(False)
        session = self.editor.session
        params = None if session is None else session.params["threshold"]
        if params is not None and params.low is None and params.high is None:
            low = min(shown_up(otsu_low, decimals), top)
            self.editor.set_params("threshold", low=low, high=top)   # comes back to update
            return
        self.update()

    def say_measuring(self, what: str) -> None:
        """A button clicked before the image's range arrived (the boxes read 0 to 0): said in the
        status line. *Apply* said `threshold needs an intensity range (low, high)` on the red bar."""
        self.editor.status.emit(f"The threshold range is being measured: {what} in a moment.")

    @property
    def measured(self) -> bool:
        """Whether the range of the image on screen is in (tests wait for it after a pick)."""
        return self._measuring is None and self._extent_of is self.viewer.volume

    def _slid(self, param: str, position: int) -> None:
        low, high = self.extent
        self.spins[param].setValue(low + (high - low) * position / SLIDER_STEPS)   # -> set_params

    def _push(self, moved: str, typed: bool = False) -> None:
        """Minimum moved above Maximum (or Maximum below Minimum) pushes the other along, as
        Slicer's range slider does: the range never turns empty (Apply refused it). A number
        being typed pushes when it is finished (Enter, or leaving the box): typing Maximum 0.62
        over Minimum 0.35 passes through 0, which pushed Minimum down to 0."""
        session = self.editor.session
        if session is None or (not typed and self.spins[moved].lineEdit().isModified()):
            return
        params = session.params["threshold"]
        if params.low is None or params.high is None or params.low <= params.high:
            return
        if moved == "low":
            self.editor.set_params("threshold", high=params.low)
        else:
            self.editor.set_params("threshold", low=params.high)

    # -- the preview ----------------------------------------------------------------------------
    def update(self) -> None:
        """The preview for the tool and range now (none unless Threshold is picked)."""
        session = self.editor.session
        overlay = None
        volume = self.viewer.volume
        if self.panel.tool == "threshold" and session is not None and volume is not None:
            params = session.params["threshold"]
            if self._extent_of is not volume or (params.low is None and params.high is None):
                self._measure(volume, self.viewer.state.frame)   # back here once measured
                return
            segment = self.editor.active_segment()
            if segment is None or not segment.locked:   # a locked segment: Apply writes nothing
                overlay = ThresholdOverlay(params.low, params.high, tuple(self.editor.active_color()),
                                           protected=self._protected(session, segment))
            self._show_on_sliders(params)
        if overlay != self.viewer.threshold_preview:
            self.viewer.threshold_preview = overlay
            self.viewer.changed.emit()

    @staticmethod
    def _protected(session, segment) -> tuple:
        """The label values Apply would not overwrite (the lookup Apply itself uses)."""
        value = segment.value if segment is not None else 0
        return tuple(int(v) for v in np.flatnonzero(protected_lut(session.labels, value, session.policy)))

    def _show_on_sliders(self, params) -> None:
        low, high = self.extent
        for param, slider in self.sliders.items():
            value = getattr(params, param)
            if value is None:
                continue
            slider.blockSignals(True)
            slider.setValue(round((value - low) / (high - low) * SLIDER_STEPS))
            slider.blockSignals(False)

    def use_for_masking(self) -> None:
        """Paint and Fill take only the voxels in this range (their intensity options)."""
        session = self.editor.session
        if session is None:
            self.editor.error.emit(self.editor.no_case_message())
            return
        params = session.params["threshold"]
        if params.low is None and params.high is None:   # clicked before the range arrived
            self.say_measuring("use it")
            return
        for tool in ("paint", "fill"):
            self.editor.set_params(tool, intensity_low=params.low, intensity_high=params.high)
        self.editor.status.emit(f"Paint and Fill now change only voxels from {params.low:g} to "
                                f"{params.high:g} (untick their intensity options to paint everywhere).")


def shown_up(value: float, decimals: int) -> float:
    """``value`` rounded up to ``decimals``: the starting Minimum is the number its box shows (on
    a CT in HU Otsu's -994.746 showed as -995 while Apply left the air of -995 out), and rounded
    up it keeps what Otsu's split keeps (the voxels above it)."""
    scale = 10.0 ** decimals
    return float(np.ceil(round(value * scale, 6)) / scale)


def starting_range(volume, frame: int) -> tuple[tuple[float, float], float, float]:
    """(the image's (minimum, maximum), every time point; Otsu's threshold of time point
    ``frame``; its maximum): what the tool starts from. Off the GUI thread."""
    image = volume.array
    low, high = float(np.nanmin(image)), float(np.nanmax(image))
    extent = (low, high if high > low else low + 1.0)
    shown = volume.frame(frame)
    top = extent[1] if shown is image else float(np.nanmax(shown))
    return extent, otsu(sample(shown)), top
