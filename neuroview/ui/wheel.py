"""Wheel turns to whole slices.

A classic mouse wheel sends 120 units (15 degrees) per notch; a high-resolution wheel or a
touchpad sends a fraction of that per event, and a fast spin several notches at once. Slices are
whole steps: fractions add up until they make one (as Qt's documentation advises and Slicer
does), so a slice view never rests between two slices and never skips the notches of a fast spin.
"""

from __future__ import annotations

NOTCH = 120
"""Wheel units (eighths of a degree) per notch of a classic wheel."""


class WheelSteps:
    def __init__(self) -> None:
        self.rest = 0

    def add(self, delta: int) -> int:
        """Whole slices made by ``delta`` wheel units plus what is left of the earlier ones
        (positive: forward, away from the user)."""
        self.rest += int(delta)
        steps = int(self.rest / NOTCH)   # towards zero: the remainder keeps its sign
        self.rest -= steps * NOTCH
        return steps
