"""The mouse wheel over an oblique view: helpers that test_oblique_fill_between.py and the tests
building on it share (test modules import helpers from a helper module, never from another test
module)."""

from __future__ import annotations

from editor_helpers import pixel_of
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication


def wheel(window, plane, point_ras, notches=1) -> None:
    """Wheel notches over ``point_ras`` in the view (positive: up, one slice each)."""
    view = window.slice_views[plane]
    pos = QPointF(*pixel_of(window, plane, point_ras))
    event = QWheelEvent(pos, view.mapToGlobal(pos), QPoint(), QPoint(0, 120 * notches), Qt.NoButton,
                        Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(view, event)
