"""*View > Cine* (**C**): the view clicked last plays through its slices, as a PACS viewer's cine
reads a CT, 15 slices a second, back and forth between the ends (a sweep); **C** again stops it,
and so does another image or *File > Close*. Each step is a slice step of the view (the wheel's),
so the crosshair, the other views and the status bar follow; a step drawn slower than the timer
(an oblique reslice under load) makes the next step wait, no steps pile up."""

from __future__ import annotations

from ..app.view_state import PLANES
from .player import Player

SLICES_PER_SECOND = 15


class Cine(Player):
    """The *Cine* action and its timer."""

    def __init__(self, window, menu) -> None:
        super().__init__(window, menu, "Cine (play the slices)", "C", SLICES_PER_SECOND)
        self.plane = "axial"
        self.direction = 1
        window.controller.volume_changed.connect(self.stop)

    def play(self, on: bool) -> None:
        controller = self.main_window.controller
        if not on or controller.state is None:
            self.stop()
            return
        active = controller.active_view
        self.plane = active if active in PLANES else "axial"
        self.start(f"Cine: the {self.plane} view, {SLICES_PER_SECOND} slices a second (C stops)")

    def step(self) -> None:
        """One slice on; at an end, back the other way."""
        controller = self.main_window.controller
        state = controller.state
        if state is None:
            self.stop()
            return
        before = state.slice_position_mm(self.plane)
        controller.scroll(self.plane, self.direction)
        if state.slice_position_mm(self.plane) == before:
            self.direction = -self.direction
            controller.scroll(self.plane, self.direction)
        self.main_window.slice_views[self.plane].follow_pointer()   # the status bar reads the new slice
