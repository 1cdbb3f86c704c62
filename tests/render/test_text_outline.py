"""The orientation letters and the slice position (``S: 30.0 mm``) stay legible over a bright
image: each stroke is outlined in black on all four sides. A shadow one pixel down and right
left the left and top edges of the light grey caption on a bright slice, where ``mm`` vanished."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.render.slices import LETTER_COLOR
from neuroview.render.text import draw_text

CAPTION = (230, 230, 230)


def _edges_dark(shown: np.ndarray, strokes: np.ndarray) -> dict[str, float]:
    """Per side, the fraction of the strokes' edge pixels with a dark pixel beside them, one or two
    pixels out on that side (the first can be the letter's own anti-aliased rim)."""
    dark = shown.max(axis=2) < 100
    result = {}
    for side, (dy, dx) in {"left": (0, -1), "right": (0, 1), "above": (-1, 0), "below": (1, 0)}.items():
        edge = strokes & ~np.roll(strokes, (-dy, -dx), axis=(0, 1))
        near = np.roll(dark, (-dy, -dx), axis=(0, 1)) | np.roll(dark, (-2 * dy, -2 * dx), axis=(0, 1))
        result[side] = float(near[edge].mean())
    return result


@pytest.mark.parametrize("background", [255, 230, 180])
@pytest.mark.parametrize("text, color", [("S: 30.0 mm", CAPTION), ("A", LETTER_COLOR), ("R", LETTER_COLOR)])
def test_text_is_outlined_on_a_bright_image(text, color, background):
    on_black = np.zeros((40, 160, 3), np.uint8)
    draw_text(on_black, text, 10, 30, color, "bottom-left", size=12)
    strokes = np.all(np.abs(on_black.astype(int) - color) < 40, axis=2)
    assert strokes.sum() > 10
    bright = np.full((40, 160, 3), background, np.uint8)
    draw_text(bright, text, 10, 30, color, "bottom-left", size=12)
    dark = _edges_dark(bright, strokes)
    assert min(dark.values()) > 0.65, dark   # 0.06-0.2 on the left and above with the old shadow

