"""A flat view geometry for the measurement label tests: helpers that test_measure_labels_inside.py and
the tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter

SIZE = 300


TOP = 18   # the slice view's title strip


BACKGROUND = QColor(60, 60, 60)


class FlatGeometry:
    """A slice whose RAS x, y are its pixels, SIZE by SIZE."""

    width = height = SIZE

    @staticmethod
    def ras_to_pixel(p):
        return float(p[0]), float(p[1])


def painted(draw, ratio: int = 1) -> np.ndarray:
    """What ``draw(painter)`` paints over the background of a view of SIZE x SIZE points, at
    ``ratio`` pixels per point (2: a HiDPI screen, as the view and its PNG export draw): RGB."""
    side = SIZE * ratio
    image = QImage(side, side, QImage.Format_RGB888)
    image.setDevicePixelRatio(ratio)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    draw(painter)
    painter.end()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(side, image.bytesPerLine())
    return data[:, : 3 * side].reshape(side, side, 3).astype(int)
