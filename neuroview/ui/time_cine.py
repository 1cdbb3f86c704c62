"""*View > Play time points* (**Shift+C**, and the play button beside the *Time point* slider of
the *Display* panel): a 4D image's time points shown one after another at the slices on screen,
round from the last to the first, as Slicer's sequence browser and ITK-SNAP's 4D play do for a
DCE or perfusion run; **Shift+C** or the button again stops it, and so do **Esc**, another image
and *File > Close*. Each step is a step of the *Time point* box (Alt+Right's), so the notice, the
corner line and the status bar follow; a step drawn slower than the timer makes the next wait
(Qt's timer does not pile up its timeouts). The 3D view keeps its time point while the cine plays
or the slider is dragged, says so, and shows the time point on screen once it stops or is let go
(``View3DWidget.hold_frames``): made anew at each step, a CT's volume rendering held the slice
views about a second a step. So does it while **Alt+Right** / **Alt+Left** is held down (the
key's autorepeat, :class:`StepKeysHeld`) until the key is let go or no repeat came for
:data:`KEY_QUIET_MS`: the repeats came more than the view's 30 ms wait apart, and each was made
anew."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer

from .player import Player
from .qt_guard import guard_overrides

TIME_POINTS_PER_SECOND = 8
KEY_QUIET_MS = 400
"""No repeat of a held step key for this long: the key counts as let go (its release went to
another application, the window lost the focus)."""
STEP_KEYS = {Qt.Key_Right, Qt.Key_Left}


@guard_overrides
class StepKeysHeld(QObject):
    """Whether Alt+Right / Alt+Left is held down: from its first autorepeat to its release (or
    :data:`KEY_QUIET_MS` without a repeat); ``changed()`` called at both ends. Watched where the
    keys enter a window (a ``QWindow``): the application's other events go by at one type test."""

    def __init__(self, parent, changed) -> None:
        super().__init__(parent)
        self.changed = changed
        self.held = False
        self.quiet = QTimer(self)
        self.quiet.setSingleShot(True)
        self.quiet.setInterval(KEY_QUIET_MS)
        self.quiet.timeout.connect(self._let_go)
        QCoreApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind not in (QEvent.KeyPress, QEvent.KeyRelease) or not obj.isWindowType():
            return False
        if kind == QEvent.KeyPress and event.isAutoRepeat() and event.key() in STEP_KEYS \
                and event.modifiers() & Qt.AltModifier:
            self.quiet.start()
            if not self.held:
                self.held = True
                self.changed()
        elif kind == QEvent.KeyRelease and self.held and not event.isAutoRepeat() \
                and event.key() in (*STEP_KEYS, Qt.Key_Alt):
            self._let_go()
        return False

    def _let_go(self) -> None:
        self.quiet.stop()
        if self.held:
            self.held = False
            self.changed()


class TimeCine(Player):
    """The *Play time points* action and its timer."""

    def __init__(self, window, menu) -> None:
        super().__init__(window, menu, "Play time points", "Shift+C", TIME_POINTS_PER_SECOND)
        self.action.setEnabled(False)   # a 4D image's
        window.display_panel.play_button.setDefaultAction(self.action)
        window.controller.volume_changed.connect(self._volume_changed)
        slider = window.display_panel.time_row.slider
        slider.sliderPressed.connect(self._hold_3d)
        slider.sliderReleased.connect(self._hold_3d)
        self.step_keys = StepKeysHeld(self, self._hold_3d)

    def _volume_changed(self) -> None:
        self.stop()
        volume = self.main_window.controller.volume
        self.action.setEnabled(volume is not None and volume.n_frames > 1)

    def play(self, on: bool) -> None:
        volume = self.main_window.controller.volume
        if not on or volume is None or volume.n_frames < 2:
            self.stop()
            return
        self.start(f"Playing the time points, {TIME_POINTS_PER_SECOND} a second "
                   "(Shift+C or Esc stops)")
        self._hold_3d()

    def stop(self) -> None:
        super().stop()
        self._hold_3d()

    def _hold_3d(self) -> None:
        """The 3D view held while the cine plays, the slider is dragged or a step key is held
        down, else released."""
        slider = self.main_window.display_panel.time_row.slider
        self.main_window.view3d.hold_frames(
            "the cine stops" if self.timer.isActive()
            else "the slider is let go" if slider.isSliderDown()
            else "the key is let go" if self.step_keys.held else None)

    def step(self) -> None:
        """The next time point; after the last, the first."""
        box = self.main_window.display_panel.frame_box
        if self.main_window.controller.volume is None:
            self.stop()
            return
        box.setValue(box.value() + 1 if box.value() < box.maximum() else box.minimum())
