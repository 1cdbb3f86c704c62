"""The left button and Delete of one slice view in the measure modes: Ruler (draw a ruler, pick
one), Rectangle and Ellipse (draw one with its statistics, pick one) and Angle (draw an angle,
:mod:`.angle_tool`, or pick one), and in Navigate mode a ruler's end or an angle's point (a press
elsewhere navigates); the picking is :mod:`.measure_edit`'s. The view draws what is in progress
(``draft``, ``angle``) with :mod:`.measure_draw`."""

from __future__ import annotations

import numpy as np

from ..app.view_measure import Ellipse, Rectangle, Ruler, drawn_on_slice
from . import measure_edit
from .angle_tool import AngleTool
from .measure_draw import angles_on_slice, regions_on_slice, rulers_on_slice

SHAPES = {"rectangle": Rectangle, "ellipse": Ellipse}
"""The modes whose drag draws a statistics region, and the region each draws."""
STATS_MODES = tuple(SHAPES)


class MeasureMouse:
    """A slice view's measurement gestures. Each method answers whether the view must repaint;
    ``geom`` is the view's widget geometry, ``None`` while it shows nothing."""

    def __init__(self, controller, plane: str) -> None:
        self.controller = controller
        self.plane = plane
        self.draft = None  # ruler, rectangle or ellipse being drawn: (start_ras, end_ras)
        self.grab = measure_edit.Grab(controller, plane)
        self.angle = AngleTool(plane)

    def rulers(self, geom) -> list:
        """The rulers drawn on the slice shown, oldest first."""
        return [] if geom is None else rulers_on_slice(self.controller, geom, self.plane)

    def angles(self, geom) -> list:
        """The angles drawn on the slice shown, oldest first."""
        return [] if geom is None else angles_on_slice(self.controller, geom, self.plane)

    def regions(self, geom, mode: str) -> list:
        """The ellipses (``mode`` "ellipse") or the rectangles drawn on the slice shown, oldest
        first."""
        return [] if geom is None else regions_on_slice(self.controller, geom, self.plane,
                                                        f"{mode}s")

    def items(self, geom) -> list:
        """Every ruler, angle, ellipse and rectangle on the slice shown (those a right click can
        delete, and whose points a press in Navigate mode takes)."""
        return (self.rulers(geom) + self.angles(geom) + self.regions(geom, "ellipse")
                + self.regions(geom, "rectangle"))

    def measurement_at(self, geom, x: float, y: float):
        """The ruler, angle, ellipse or rectangle under widget point ``(x, y)`` (its point or
        line), selected (a right click on it: its menu offers *Delete*); ``None``: none there."""
        picked = None if geom is None else measure_edit.pick(self.items(geom), geom, x, y)
        if picked is None:
            return None
        self.controller.select(picked[0])
        return picked[0]

    def press(self, p_ras, geom, x: float, y: float) -> bool:
        """A left press at ``p_ras`` (widget ``(x, y)``); False: not a measure mode, nor a
        ruler's end or an angle's point in Navigate mode."""
        c = self.controller
        if c.mode == "navigate":
            return self.grab.press_point(self.items(geom), geom, x, y)
        if c.mode == "angle":
            if not self.angle.points and self.grab.press(self.angles(geom), geom, x, y):
                return True   # an angle's point taken, or its arm clicked: no new angle
            angle = self.angle.press(p_ras, x, y)
            if angle is not None:
                c.add_angle(angle)
            return True
        if c.mode == "ruler" and self.grab.press(self.rulers(geom), geom, x, y):
            return True
        if c.mode in STATS_MODES and self.grab.press(self.regions(geom, c.mode), geom, x, y):
            return True   # its outline clicked: selected (Delete takes it off); a handle taken
        if c.mode in ("ruler",) + STATS_MODES:
            self.draft = (p_ras, p_ras)
            return True
        return False

    def drag(self, p_ras) -> bool:
        """The pointer moved to ``p_ras`` with the left button down."""
        if self.grab.drag(p_ras):
            return True
        if self.draft is not None:
            self.draft = (self.draft[0], p_ras)
            return True
        return False

    def hover(self, p_ras, geom, x: float, y: float):
        """The pointer moved with no button down: ``(repaint, cursor)``; the cursor is ``None``
        where the view keeps its own."""
        c = self.controller
        if c.mode == "angle" and self.angle.points:
            self.angle.pointer = p_ras
            return True, None
        own = self._own(geom)
        if own is not None:
            return False, measure_edit.cursor(own, geom, x, y, selected=c.selected)
        if c.mode == "navigate":
            return False, measure_edit.cursor(self.items(geom), geom, x, y, points_only=True,
                                              selected=c.selected)
        return False, None

    def release(self, p_ras, x: float, y: float) -> bool:
        """The left button let go at ``p_ras``: the ruler, rectangle or ellipse drawn is made (one
        of no length, no width or no height is not)."""
        c = self.controller
        took = self.grab.taken is not None
        repaint = self.grab.release()
        if c.mode == "angle" and not took:
            self.angle.release(p_ras, x, y)
        if self.draft is None or c.state is None:
            return repaint
        start, end = self.draft
        if c.mode == "ruler" and np.linalg.norm(end - start) > 0:
            c.add_ruler(Ruler(self.plane, start, end))
        elif c.mode in STATS_MODES and np.all(np.abs(np.stack(c.state.axes(self.plane))[:2]
                                                     @ (end - start)) > 0):
            c.add_region(drawn_on_slice(SHAPES[c.mode], c.shown_volume(), c.state, self.plane,
                                        start, end))
        self.draft = None
        return True

    def _own(self, geom) -> list | None:
        """The measurements of the mode's kind on the slice shown (Angle mode: the angles...);
        ``None``: a mode of no kind (Navigate)."""
        mode = self.controller.mode
        if mode in STATS_MODES:
            return self.regions(geom, mode)
        return {"angle": self.angles, "ruler": self.rulers}.get(mode, lambda _geom: None)(geom)

    def delete(self, geom) -> bool:
        """Delete or Backspace: the selected ruler, angle, ellipse or rectangle if shown (in Angle,
        Ellipse and Rectangle mode one of that kind only), else in those modes the newest of its
        kind on the slice shown, else the newest ruler shown; False: nothing to delete."""
        c = self.controller
        own = None if c.mode == "ruler" else self._own(geom)
        shown = self.items(geom) if own is None else own
        if c.selected is not None and any(i is c.selected for i in shown):
            c.delete_measurement(c.selected)
            return True
        if own is not None:
            if own:
                c.delete_measurement(own[-1])
            return True
        rulers = self.rulers(geom)
        if not rulers:
            return False
        c.delete_ruler(rulers[-1])
        return True
