"""Mouse drags over the follow-up views: helpers that test_followup_zoom.py and the tests building on
it share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint


def drag(qtbot, widget, button, start: QPoint, end: QPoint, steps: int = 6) -> None:
    qtbot.mousePress(widget, button, pos=start)
    for t in np.linspace(0.0, 1.0, steps + 1)[1:]:
        qtbot.mouseMove(widget, QPoint(round(start.x() + t * (end.x() - start.x())),
                                       round(start.y() + t * (end.y() - start.y()))))
    qtbot.mouseRelease(widget, button, pos=end)
