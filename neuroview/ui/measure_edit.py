"""Picking a ruler, an angle, an ellipse or a rectangle on a slice view, as Slicer's markups and
ITK-SNAP's rulers are picked: a press near one of its points (a ruler's ends; an angle's arm ends
and vertex) takes that point (a drag moves it, the length or degrees drawn follow), a press on
its line (round an ellipse, a rectangle) selects it; *Delete* removes the selected one. In
Navigate mode, as in Slicer and PACS viewers, a point is taken too (a press anywhere else
navigates). Rulers could be
picked only in Ruler mode until session 21; an angle could not be moved or edited once drawn
until session 22."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from ..app.view_measure import DrawnRegion, measure_centre

END_PX = 7.0
"""A press this close to a ruler's end or an angle's point (widget pixels) takes the point."""
LINE_PX = 5.0
"""A press this close to a ruler's line or an angle's arm selects it."""


def _to_segment(p, a, b) -> float:
    ab = b - a
    t = 0.0 if not ab.any() else float(np.clip((p - a) @ ab / (ab @ ab), 0.0, 1.0))
    return float(np.linalg.norm(p - (a + t * ab)))


def _pixels(item, geom) -> list[np.ndarray]:
    return [np.array(geom.ras_to_pixel(q), float) for q in item.points]


OUTLINE_STEPS = 72
"""Sides of the polygon an ellipse's outline is picked on (under 0.1 px off a 200 px one)."""


def _line(item, geom) -> list[np.ndarray]:
    """The pixels its line runs through: a ruler's ends, an angle's points, round an ellipse or
    a rectangle."""
    pixels = _pixels(item, geom)
    if not isinstance(item, DrawnRegion):
        return pixels
    centre, radii = (pixels[0] + pixels[1]) / 2, np.abs(pixels[1] - pixels[0]) / 2
    if not item.ellipse:   # its corners, round
        return list(centre + radii * np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]))
    t = np.linspace(0, 2 * np.pi, OUTLINE_STEPS + 1)
    return list(centre + radii * np.stack([np.cos(t), np.sin(t)], axis=1))


def pick(items, geom, x: float, y: float, selected=None):
    """The ruler, angle, ellipse or rectangle of ``items`` (shown in widget geometry ``geom``)
    under widget point ``(x, y)`` and the part taken: the index of its point (of
    ``item.points``), or ``None`` for its line. Points come before lines, the newest item before
    older ones; ``None``: none there. An ellipse's or a rectangle's points (the corners it was
    drawn from) are taken only while it is the ``selected`` one, drawn with a handle on each."""
    p = np.array([x, y], float)
    near = []
    for age, item in enumerate(reversed(items)):   # at equal distance the newest
        near += [(float(np.linalg.norm(p - q)), age, item, index)
                 for index, q in enumerate(_pixels(item, geom))
                 if item is selected or not isinstance(item, DrawnRegion)]   # corners: handles
    near = [e for e in near if e[0] <= END_PX]
    if near:
        _, _, item, index = min(near, key=lambda e: e[:2])
        return item, index
    for item in reversed(items):
        pixels = _line(item, geom)
        if any(_to_segment(p, a, b) <= LINE_PX for a, b in zip(pixels, pixels[1:])):
            return item, None
    return None


def cursor(items, geom, x: float, y: float, points_only: bool = False,
           selected=None) -> Qt.CursorShape:
    """The pointer's shape over ``(x, y)``: a move cross over a point (a drag moves it), a
    pointing hand over a line (a click selects it), else the arrow; ``points_only`` (Navigate
    mode): the arrow over a line too."""
    picked = pick(items, geom, x, y, selected)
    if picked is None or (points_only and picked[1] is None):
        return Qt.ArrowCursor
    return Qt.PointingHandCursor if picked[1] is None else Qt.SizeAllCursor


class Grab:
    """A slice view's presses on its rulers or angles: :meth:`press` selects the one under the
    pointer and takes the point pressed near, :meth:`drag` moves that point, :meth:`release` lists
    the new value in *Measurements* and records the drag as one undo step (one dragged to no length
    keeps its old place)."""

    def __init__(self, controller, plane: str) -> None:
        self.controller = controller
        self.plane = plane
        self.taken = None  # (the item as pressed, the index of its point)

    def press(self, items, geom, x: float, y: float) -> bool:
        """Select the ruler, angle or ellipse under ``(x, y)``; False (the selection dropped): none
        there."""
        picked = pick(items, geom, x, y, self.controller.selected)
        self.controller.select(None if picked is None else picked[0])
        self.taken = picked if picked is not None and picked[1] is not None else None
        self.controller.moving_from = None if self.taken is None else picked[0]
        return picked is not None

    def press_point(self, items, geom, x: float, y: float) -> bool:
        """Navigate mode: a press on a point selects its ruler or angle and takes the point; False
        (nothing changed, the press navigates): no point there."""
        picked = pick(items, geom, x, y, self.controller.selected)
        if picked is None or picked[1] is None:
            return False
        self.controller.select(picked[0])
        self.taken = picked
        self.controller.moving_from = picked[0]
        return True

    def drag(self, p_ras) -> bool:
        if self.taken is None or p_ras is None:
            return False
        (item, index), c = self.taken, self.controller
        if c.moving_from is not item:   # Ctrl+Z put the point back: the drag is over
            self.taken = None
            return False
        c.replace(c.selected, item.with_point(index, p_ras))
        return True

    def release(self) -> bool:
        if self.taken is None:
            return False
        c, (before, _index) = self.controller, self.taken
        self.taken, item, c.moving_from = None, c.selected, None
        if item is None or item is before:
            return False
        if item.value_text is None:
            c.replace(item, before)
        else:
            c.record_move(before, item)   # the drag: one undo step
            c.measured.emit(f"{item.kind} ({self.plane}): {item.value_text} (moved)",
                            measure_centre(item.points))
        return True
