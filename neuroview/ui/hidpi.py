"""Slice pictures at the screen's own resolution: on a HiDPI screen (a device pixel ratio of 2,
or ``QT_SCALE_FACTOR=2``) a widget of ``w`` x ``h`` points covers ``2w`` x ``2h`` screen pixels.
The slice views render that many pixels and hand Qt the picture with its ratio set, so the image
and its letters are as sharp as the screen (a picture of ``w`` x ``h`` was upscaled: blurry).
Widget positions (mouse, update rectangles) stay in points; these helpers convert."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QImage


def device_size(widget) -> tuple[int, int]:
    """Screen pixels the widget covers: ``(width, height)``."""
    ratio = widget.devicePixelRatioF()
    return max(round(widget.width() * ratio), 1), max(round(widget.height() * ratio), 1)


def pixel_centre(x: float, y: float, ratio: float) -> tuple[float, float]:
    """Widget position (points) of the centre of the screen pixel under position ``(x, y)``."""
    return (math.floor(x * ratio) + 0.5) / ratio, (math.floor(y * ratio) + 0.5) / ratio


def to_widget(x0: int, y0: int, x1: int, y1: int, ratio: float) -> QRect:
    """The widget rectangle (points) covering screen pixels ``[x0, x1) x [y0, y1)``."""
    left, top = math.floor(x0 / ratio), math.floor(y0 / ratio)
    return QRect(left, top, math.ceil(x1 / ratio) - left, math.ceil(y1 / ratio) - top)


def to_device(rect: QRect, ratio: float, width: int, height: int) -> tuple[int, int, int, int]:
    """Screen pixels ``(x0, y0, x1, y1)`` (end exclusive) covering widget rectangle ``rect``,
    within a ``width`` x ``height`` picture."""
    x0, y0 = max(math.floor(rect.left() * ratio), 0), max(math.floor(rect.top() * ratio), 0)
    x1 = min(math.ceil((rect.right() + 1) * ratio), width)
    y1 = min(math.ceil((rect.bottom() + 1) * ratio), height)
    return x0, y0, x1, y1


def picture(rgb: np.ndarray, ratio: float) -> QImage:
    """A QImage over ``rgb`` (``(h, w, 3)`` uint8, kept alive by the caller) at ``ratio``."""
    image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format_RGB888)
    image.setDevicePixelRatio(ratio)
    return image


def at(x: int, y: int, ratio: float) -> QPointF:
    """Widget position (points) of screen pixel ``(x, y)``'s corner."""
    return QPointF(x / ratio, y / ratio)
