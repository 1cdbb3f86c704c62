"""*View > Play time points* (**Shift+C**, and the play button beside the *Time point* slider of
the *Display* panel): a 4D image's time points shown one after another at the slices on screen,
round from the last to the first, as Slicer's sequence browser and ITK-SNAP's 4D play do for a
DCE or perfusion run; **Shift+C** or the button again stops it, and so do **Esc**, another image
and *File > Close*. Each step is a step of the *Time point* box (Alt+Right's), so the notice, the
corner line and the status bar follow; a step drawn slower than the timer makes the next wait
(Qt's timer does not pile up its timeouts). The 3D view keeps its time point while the cine plays
or the slider is dragged, says so, and shows the time point on screen once it stops or is let go
(``View3DWidget.hold_frames``): made anew at each step, a CT's volume rendering held the slice
views about a second a step."""

from __future__ import annotations

from .player import Player

TIME_POINTS_PER_SECOND = 8


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
        """The 3D view held while the cine plays or the slider is dragged, else released."""
        slider = self.main_window.display_panel.time_row.slider
        self.main_window.view3d.hold_frames(
            "the cine stops" if self.timer.isActive()
            else "the slider is let go" if slider.isSliderDown() else None)

    def step(self) -> None:
        """The next time point; after the last, the first."""
        box = self.main_window.display_panel.frame_box
        if self.main_window.controller.volume is None:
            self.stop()
            return
        box.setValue(box.value() + 1 if box.value() < box.maximum() else box.minimum())
