"""Slice pictures at the screen's own resolution: on a HiDPI screen (a device pixel ratio of 2,
or ``QT_SCALE_FACTOR=2``) a widget of ``w`` x ``h`` points covers ``2w`` x ``2h`` screen pixels.
The slice views render that many pixels and hand Qt the picture with its ratio set, so the image
and its letters are as sharp as the screen (a picture of ``w`` x ``h`` was upscaled: blurry).
Widget positions (mouse, update rectangles) stay in points; these helpers convert.

At a fractional ratio (125 %, 150 %) a widget of ``w`` points covers ``round(1.25 w)`` screen
pixels, not ``1.25 w``: the picture is fitted to those pixels, and the pointer and the overlays
drawn in points use the same fit (:func:`view_geometry`), so they land on the voxel drawn."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QImage

from ..app.view_state import SliceGeometry


def device_size(widget) -> tuple[int, int]:
    """Screen pixels the widget covers: ``(width, height)``, halves rounded up as Qt rounds
    (``qRound``): Python's ``round(392.5)`` is 392, and at 125 % a 314-point view left its last
    column of the 393 Qt gives it unpainted."""
    return device_pixels(widget.width(), widget.height(), widget.devicePixelRatioF())


def device_pixels(width: int, height: int, ratio: float) -> tuple[int, int]:
    """Screen pixels of ``width`` x ``height`` points (halves rounded up, as Qt rounds)."""
    return max(math.floor(width * ratio + 0.5), 1), max(math.floor(height * ratio + 0.5), 1)


def view_geometry(state, plane: str, widget) -> SliceGeometry:
    """Widget position (points) to RAS for ``plane`` shown in ``widget``: the geometry of the
    picture rendered at the screen's resolution (``state.geometry`` at :func:`device_size`),
    scaled to points. (Fitting the view to ``w`` x ``h`` points apart from the picture put each
    point up to a screen pixel off the picture at 125 % and 150 %: clicks and the status bar took
    the neighbouring voxel near voxel edges.)"""
    return in_points(state.geometry(plane, *device_size(widget)), widget.devicePixelRatioF(),
                     widget.width(), widget.height())


def in_points(screen: SliceGeometry, ratio: float, width: int, height: int) -> SliceGeometry:
    """``screen`` (a picture's geometry, in its pixels) for positions in points: point ``x`` is
    pixel ``x * ratio``."""
    shift = 0.5 * (ratio - 1.0) * (screen.col_ras + screen.row_ras)  # pixel centres: x = X / ratio
    return SliceGeometry(screen.origin_ras + shift, screen.col_ras * ratio, screen.row_ras * ratio,
                         max(width, 1), max(height, 1))


def pixel_centre(x: float, y: float, ratio: float) -> tuple[float, float]:
    """Widget position (points) of the centre of the screen pixel under position ``(x, y)``.
    Qt gives the pointer on screen pixel ``X`` as ``X / ratio`` points, which at 125 % or 150 %
    times the ratio can come back a hair below ``X`` (``791 / 1.25 - 416 = 216.79999...``): the
    product is rounded to a millionth of a pixel first, or the pixel to its left was taken."""
    return ((math.floor(round(x * ratio, 6)) + 0.5) / ratio,
            (math.floor(round(y * ratio, 6)) + 0.5) / ratio)


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
