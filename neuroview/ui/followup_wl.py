"""The follow-up window's window/level controls, as the main window's: a *Window/level (F2)*
button (a left drag in either pane then changes the window of both, instead of moving the
crosshair), the typed *Window* and *Level* boxes of the main window's Display panel
(:mod:`neuroview.ui.wl_boxes`) and a *Preset* box with the main window's presets for the baseline
(:mod:`neuroview.app.view_presets`); the three stay in step. The later study is shown at the
baseline's window (an MR already scaled to the baseline's intensities); the subtraction keeps its
own window."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QPushButton

from ..app.frames import frame_volume
from ..app.shell_windows import b_value_of
from ..app.view_presets import (
    CUSTOM,
    FULL,
    intensity_range,
    matching_preset,
    preset_names,
    preset_window_level,
)
from .wl_boxes import WindowLevelBoxes


class WindowLevelControls:
    """The button, the Window and Level boxes and the preset box for ``pair`` (a
    ``FollowupPairWidget``); F2 on ``window``."""

    def __init__(self, pair, window, volume=None, state=None, apply=None) -> None:
        """``volume``, ``state`` and ``apply(window, level)``: the image, viewer state and setter
        whose window these controls show and set (the pair's baseline, state and
        ``set_window_level`` when left out). Only those of the pair's own have the F2 button."""
        self.pair = pair
        self.volume = volume = pair.baseline if volume is None else volume
        self.state = state = pair.state if state is None else state
        names = preset_names(volume)
        self.presets = {name: preset_window_level(name, volume) for name in names}
        self.button = None
        if apply is None:
            apply = pair.set_window_level
            self.button = QPushButton("Window/level (F2)")
            self.button.setCheckable(True)
            self.button.setToolTip("Left-drag in either pane: right/left widens/narrows the "
                                   "window, up/down changes the level (of both panes)")
            self.button.toggled.connect(self._set_mode)
            self.button.setFocusPolicy(Qt.TabFocus)   # the keys stay with the panes
            QShortcut(QKeySequence("F2"), window, self.button.toggle)
        self.apply = apply
        self.preset_box = QComboBox()
        self.preset_box.addItems(names + [CUSTOM])
        # "Custom" names a manual window (a drag); it is shown, never chosen (as in the main window)
        self.preset_box.model().item(len(names)).setEnabled(False)
        self.preset_box.setToolTip("Window/level preset of both panes (the baseline's)")
        self.preset_box.currentTextChanged.connect(self.choose_preset)
        self.preset_box.setFocusPolicy(Qt.TabFocus)
        self.boxes = WindowLevelBoxes(lambda: (state.window, state.level), apply,
                                      lambda: pair.setFocus(Qt.OtherFocusReason))
        span = pair.intensity_range if state is pair.state else intensity_range(volume, every_frame=True)
        self.boxes.set_range(*span)   # the image's decimals, as the main window's
        self.window_box, self.level_box = self.boxes.boxes
        pair.window_changed.connect(self.sync)
        self.sync()

    def _set_mode(self, on: bool) -> None:
        self.pair.window_level = bool(on)
        self.pair.setCursor(Qt.SizeAllCursor if on else Qt.ArrowCursor)

    def choose_preset(self, name: str) -> None:
        if name in self.presets:
            self.apply(*self.presets[name])

    def sync(self) -> None:
        """The boxes show the window drawn, the preset box names it (*Custom* after a drag or a
        value typed)."""
        state = self.state
        self._presets_of_volume_shown()
        self.boxes.show(state.window, state.level)
        name = matching_preset(state.window, state.level, self.presets)
        if self.preset_box.currentText() != name:
            blocker = QSignalBlocker(self.preset_box)
            self.preset_box.setCurrentText(name)
            blocker.unblock()

    def _presets_of_volume_shown(self) -> None:
        """A DWI pane's presets of the volume it shows (the compare view's ``pair.frames``): its
        b-value's own window is named, and set by, *Auto*, as in the main window's Display panel
        (it was the b=0 volume's: *Custom* shown, and *Auto* drew b=1000 black)."""
        frames = getattr(self.pair, "frames", None)
        frame = frames[0 if self.state is self.pair.state else 1] if frames else 0
        if b_value_of(self.volume, frame) is None:
            return
        shown = frame_volume(self.volume, frame)
        self.presets = {name: preset_window_level(name, self.volume if name == FULL else shown)
                        for name in self.presets}
