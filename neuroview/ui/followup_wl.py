"""The follow-up window's window/level controls, as the main window's: a *Window/level (F2)*
button (a left drag in either pane then changes the window of both, instead of moving the
crosshair) and a *Preset* box with the main window's presets for the baseline
(:mod:`neuroview.app.view_presets`). The later study is shown at the baseline's window (an MR
already scaled to the baseline's intensities); the subtraction keeps its own window."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QPushButton

from ..app.view_presets import CUSTOM, matching_preset, preset_names, preset_window_level


class WindowLevelControls:
    """The button and the preset box for ``pair`` (a ``FollowupPairWidget``); F2 on ``window``."""

    def __init__(self, pair, window) -> None:
        self.pair = pair
        names = preset_names(pair.baseline)
        self.presets = {name: preset_window_level(name, pair.baseline) for name in names}
        self.button = QPushButton("Window/level (F2)")
        self.button.setCheckable(True)
        self.button.setToolTip("Left-drag in either pane: right/left widens/narrows the window, "
                               "up/down changes the level (of both panes)")
        self.button.toggled.connect(self._set_mode)
        self.preset_box = QComboBox()
        self.preset_box.addItems(names + [CUSTOM])
        # "Custom" names a manual window (a drag); it is shown, never chosen (as in the main window)
        self.preset_box.model().item(len(names)).setEnabled(False)
        self.preset_box.setToolTip("Window/level preset of both panes (the baseline's)")
        self.preset_box.currentTextChanged.connect(self.choose_preset)
        for widget in (self.button, self.preset_box):
            widget.setFocusPolicy(Qt.TabFocus)   # the keys stay with the panes
        QShortcut(QKeySequence("F2"), window, self.button.toggle)
        pair.window_changed.connect(self.sync)
        self.sync()

    def _set_mode(self, on: bool) -> None:
        self.pair.window_level = bool(on)
        self.pair.setCursor(Qt.SizeAllCursor if on else Qt.ArrowCursor)

    def choose_preset(self, name: str) -> None:
        if name in self.presets:
            self.pair.set_window_level(*self.presets[name])

    def sync(self) -> None:
        """The box names the preset the window is (*Custom* after a drag)."""
        state = self.pair.state
        name = matching_preset(state.window, state.level, self.presets)
        if self.preset_box.currentText() != name:
            blocker = QSignalBlocker(self.preset_box)
            self.preset_box.setCurrentText(name)
            blocker.unblock()
