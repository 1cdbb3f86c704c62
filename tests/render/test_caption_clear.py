"""A thick slab's caption (``R: 0.0 mm  MIP 10 mm``) keeps clear of the bottom orientation letter:
in the small views of *One large, three small* on a 1366x768 screen (248 x 216 points), and at
200 % (496 x 432 pixels), the caption ran over the I of the sagittal and coronal views (session
43's walk). Its slab goes a line above the position there; a wide view keeps one line."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.view_state import ViewerState
from neuroview.render.slices import LETTER_COLOR, annotate

CAPTION = "R: 0.0 mm  MIP 10 mm"


def _overlapping(texts) -> list[tuple[str, str]]:
    return [(a[1][0], b[1][0]) for i, a in enumerate(texts) for b in texts[i + 1:]
            if a[0][0] < b[0][2] and b[0][0] < a[0][2] and a[0][1] < b[0][3] and b[0][1] < a[0][3]]


def _letter_pixels(rgb, box) -> int:
    x0, y0, x1, y1 = box
    return int(np.all(rgb[y0:y1, x0:x1] == LETTER_COLOR, axis=2).sum())


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_the_slab_caption_leaves_the_bottom_letter_whole_in_a_small_view(scale):
    state = ViewerState((197, 233, 189), np.eye(4))
    width, height = round(248 * scale), round(216 * scale)
    geom = state.geometry("sagittal", width, height)
    letters = state.orientation_letters("sagittal")
    rgb = np.zeros((height, width, 3), np.uint8)
    texts = annotate(rgb, geom, None, letters, CAPTION, scale=scale, number="99/197")
    assert not _overlapping(texts)
    drawn = [text[0] for _box, text in texts]
    assert "R: 0.0 mm" in drawn and "MIP 10 mm" in drawn, drawn
    letter_box = next(box for box, text in texts if text[0] == letters["bottom"])
    alone = np.zeros_like(rgb)
    annotate(alone, geom, None, letters, "", scale=scale, number="99/197")
    assert _letter_pixels(rgb, letter_box) == _letter_pixels(alone, letter_box) > 0


def test_a_wide_view_keeps_the_caption_on_one_line():
    state = ViewerState((197, 233, 189), np.eye(4))
    geom = state.geometry("sagittal", 497, 325)
    rgb = np.zeros((325, 497, 3), np.uint8)
    texts = annotate(rgb, geom, None, state.orientation_letters("sagittal"), CAPTION, number="99/197")
    assert CAPTION in [text[0] for _box, text in texts]
    assert not _overlapping(texts)
