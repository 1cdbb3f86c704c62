"""The scale bar of a slice view (lower right, above the slice number), as PACS viewers draw one:
a bar of a round length (1, 2, 5, 10, 20, 50, 100 or 200 mm) at most a fifth of the view wide,
with ticks at its ends and its length written beside it, so that sizes read at a glance at any
zoom."""

from __future__ import annotations

import numpy as np

STEPS_MM = (1, 2, 5, 10, 20, 50, 100, 200)
BAR = "scale-bar"
"""The anchor word of the bar's entry among a view's drawn texts (``slices.annotate``)."""


def bar_length(mm_per_pixel: float, width: int, scale: float = 1.0) -> tuple[int, float]:
    """``(mm, pixels)``: the longest round length at most a fifth of ``width`` pixels and at
    least 12 points, else ``(0, 0)`` (a view too small, or zoomed past 200 mm a fifth)."""
    if mm_per_pixel <= 0:
        return 0, 0.0
    fitting = [mm for mm in STEPS_MM if 12 * scale <= mm / mm_per_pixel <= width / 5]
    return (fitting[-1], fitting[-1] / mm_per_pixel) if fitting else (0, 0.0)


def draw_bar(rgb: np.ndarray, x0: float, x1: float, y: float, color, scale: float = 1.0) -> tuple:
    """A bar from ``x0`` to ``x1`` at row ``y`` (its lower edge), ticks rising at both ends, all
    outlined in black as the view's letters are; returns the box its pixels may touch."""
    h, w = rgb.shape[:2]
    thick, tick = max(int(round(2 * scale)), 1), int(round(6 * scale))
    a, b, bottom = int(round(x0)), int(round(x1)), int(round(y))
    box = bar_box(x0, x1, y, scale)
    parts = [(bottom - thick, bottom, a, b), (bottom - tick, bottom, a, a + thick),
             (bottom - tick, bottom, b - thick, b)]

    def fill(y_lo, y_hi, x_lo, x_hi, value):
        rgb[max(y_lo, 0):max(min(y_hi, h), 0), max(x_lo, 0):max(min(x_hi, w), 0)] = value

    for y_lo, y_hi, x_lo, x_hi in parts:   # the black outline first, one pixel round each part
        fill(y_lo - 1, y_hi + 1, x_lo - 1, x_hi + 1, 0)
    for part in parts:
        fill(*part, color)
    return box


def bar_box(x0: float, x1: float, y: float, scale: float = 1.0) -> tuple[int, int, int, int]:
    """The box :func:`draw_bar` draws its bar in (outline included)."""
    tick = int(round(6 * scale))
    return int(round(x0)) - 1, int(round(y)) - tick - 1, int(round(x1)) + 1, int(round(y)) + 1
