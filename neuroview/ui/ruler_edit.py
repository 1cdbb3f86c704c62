"""Picking a ruler on a slice view, as Slicer's and ITK-SNAP's rulers are picked: a press near a
ruler's end takes that end (a drag moves it), a press on its line selects it; *Delete* removes the
selected ruler. Rulers could only be drawn and the newest on a slice deleted. In Navigate mode,
as in Slicer and PACS viewers, a ruler's end is taken too (a press anywhere else navigates): a
ruler could be picked only after a change to Ruler mode."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from ..app.view_measure import Ruler

END_PX = 7.0
"""A press this close to a ruler's end (widget pixels) takes the end."""
LINE_PX = 5.0
"""A press this close to a ruler's line selects it."""


def _to_segment(p, a, b) -> float:
    ab = b - a
    t = 0.0 if not ab.any() else float(np.clip((p - a) @ ab / (ab @ ab), 0.0, 1.0))
    return float(np.linalg.norm(p - (a + t * ab)))


def pick(rulers, geom, x: float, y: float) -> tuple[Ruler, str] | None:
    """The ruler of ``rulers`` (shown in widget geometry ``geom``) under widget point ``(x, y)``
    and the part taken: ``"start"``, ``"end"`` or ``"line"``. Ends come before lines, the newest
    ruler before older ones; ``None``: none there."""
    p = np.array([x, y], float)
    ends = []
    for ruler in reversed(rulers):
        a, b = (np.array(geom.ras_to_pixel(q), float) for q in (ruler.start_ras, ruler.end_ras))
        ends += [(float(np.linalg.norm(p - a)), ruler, "start"), (float(np.linalg.norm(p - b)), ruler, "end")]
    near = [e for e in ends if e[0] <= END_PX]
    if near:
        _, ruler, part = min(near, key=lambda e: e[0])
        return ruler, part
    for ruler in reversed(rulers):
        a, b = (np.array(geom.ras_to_pixel(q), float) for q in (ruler.start_ras, ruler.end_ras))
        if _to_segment(p, a, b) <= LINE_PX:
            return ruler, "line"
    return None


def cursor(rulers, geom, x: float, y: float, ends_only: bool = False) -> Qt.CursorShape:
    """The pointer's shape over ``(x, y)`` in ruler mode: a move cross over a ruler's end (a drag
    moves it), a pointing hand over its line (a click selects it), else the arrow; ``ends_only``
    (Navigate mode): the arrow over a line too."""
    picked = pick(rulers, geom, x, y)
    if picked is None or (ends_only and picked[1] == "line"):
        return Qt.ArrowCursor
    return Qt.PointingHandCursor if picked[1] == "line" else Qt.SizeAllCursor


def moved(ruler: Ruler, part: str, p_ras) -> Ruler:
    """``ruler`` with its ``part`` end at ``p_ras``."""
    p_ras = np.asarray(p_ras, float)
    if part == "start":
        return Ruler(ruler.plane, p_ras, np.asarray(ruler.end_ras, float))
    return Ruler(ruler.plane, np.asarray(ruler.start_ras, float), p_ras)


class RulerGrab:
    """A slice view's presses in ruler mode on its rulers: :meth:`press` selects the ruler under
    the pointer and takes the end pressed near, :meth:`drag` moves that end, :meth:`release`
    lists the new length in *Measurements* (a ruler dragged to no length keeps its old place)."""

    def __init__(self, controller, plane: str) -> None:
        self.controller = controller
        self.plane = plane
        self.taken = None  # (the ruler as pressed, "start" or "end")

    def press(self, rulers, geom, x: float, y: float) -> bool:
        """Select the ruler under ``(x, y)``; False (the selection dropped): none there."""
        picked = pick(rulers, geom, x, y)
        self.controller.select_ruler(None if picked is None else picked[0])
        self.taken = picked if picked is not None and picked[1] != "line" else None
        return picked is not None

    def press_end(self, rulers, geom, x: float, y: float) -> bool:
        """Navigate mode: a press on a ruler's end selects the ruler and takes the end; False
        (nothing changed, the press navigates): no end there."""
        picked = pick(rulers, geom, x, y)
        if picked is None or picked[1] == "line":
            return False
        self.controller.select_ruler(picked[0])
        self.taken = picked
        return True

    def drag(self, p_ras) -> bool:
        if self.taken is None or p_ras is None:
            return False
        (ruler, part), c = self.taken, self.controller
        c.replace_ruler(c.selected_ruler, moved(ruler, part, p_ras))
        return True

    def release(self) -> bool:
        if self.taken is None:
            return False
        c, (before, _part) = self.controller, self.taken
        self.taken, ruler = None, c.selected_ruler
        if ruler is None or ruler is before:
            return False
        if ruler.length_mm == 0:
            c.replace_ruler(ruler, before)
        else:
            c.measured.emit(f"Ruler ({self.plane}): {ruler.length_mm:.1f} mm (moved)")
        return True
