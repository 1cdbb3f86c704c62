"""A flat view geometry for the measurement label tests: helpers that test_measure_labels_inside.py and
the tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

from PySide6.QtGui import QColor

SIZE = 300


TOP = 18   # the slice view's title strip


BACKGROUND = QColor(60, 60, 60)


class FlatGeometry:
    """A slice whose RAS x, y are its pixels, SIZE by SIZE."""

    width = height = SIZE

    @staticmethod
    def ras_to_pixel(p):
        return float(p[0]), float(p[1])
