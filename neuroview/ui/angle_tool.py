"""The Angle tool of the slice views (Tools > Angle, F5): press at the first arm's end, drag (or
click) to the vertex, then click the second arm's end; the angle in degrees is drawn at the
vertex and listed in *Measurements*, as PACS viewers' angle tools. Esc drops an angle in
progress; Delete over a view in Angle mode deletes the selected angle (the one drawn or picked
last, :mod:`.measure_edit`), else the newest angle on the slice shown."""

from __future__ import annotations

import numpy as np

from ..app.view_measure import Angle

MOVED_PX = 3.0
"""A release this far (widget pixels) from its press ends a dragged first arm."""


class AngleTool:
    """The angle being drawn on one slice view: its points so far (RAS) and the pointer's."""

    def __init__(self, plane: str) -> None:
        self.plane = plane
        self.points: list[np.ndarray] = []
        self.pointer = None   # RAS under the pointer: the arm being drawn ends there
        self._pressed_px = None

    def cancel(self) -> bool:
        """Drop the angle in progress; True if there was one."""
        had = bool(self.points)
        self.points, self.pointer = [], None
        return had

    def press(self, p_ras, x: float, y: float) -> Angle | None:
        """A press at ``p_ras`` (widget ``(x, y)``): the next point; the angle when it is the third
        (``None`` while in progress, or for an arm of no length)."""
        if p_ras is None:
            return None
        self._pressed_px = (x, y)
        self.points.append(np.asarray(p_ras, float))
        if len(self.points) < 3:
            return None
        angle = Angle(self.plane, *self.points)
        self.cancel()
        return angle if angle.degrees is not None else None

    def release(self, p_ras, x: float, y: float) -> None:
        """A release after dragging the first arm sets the vertex there."""
        if len(self.points) == 1 and p_ras is not None and self._pressed_px is not None \
                and np.hypot(x - self._pressed_px[0], y - self._pressed_px[1]) > MOVED_PX:
            self.points.append(np.asarray(p_ras, float))

    def shown(self) -> list[np.ndarray]:
        """The points to draw: those set, then the pointer."""
        return self.points + ([self.pointer] if self.points and self.pointer is not None else [])
