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


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_no_corner_text_runs_over_another_at_any_view_size(scale):
    """Down to the tiniest view that has letters (one large, three small at 150 % on a 1366x768
    screen: 135 x 131 points), the caption, its slab, the slice number and the scale bar keep
    apart and off the bottom letter: the corners' texts go above the letter where the last line
    has no room for them, and the scale bar is left out where it would run over the caption (in a
    view yet narrower, whatever would run over another text)."""
    state = ViewerState((197, 233, 189), np.eye(4))
    letters = state.orientation_letters("coronal")
    for width in range(round(60 * scale), round(520 * scale), round(23 * scale)):
        height = round(0.9 * width)
        geom = state.geometry("coronal", width, height)
        for caption in ("P: 118.0 mm", "P: 118.0 mm  MIP 10 mm"):
            rgb = np.zeros((height, width, 3), np.uint8)
            texts = annotate(rgb, geom, None, letters, caption, scale=scale, number="117/233")
            if not texts:
                continue   # too small for any (under 48 points)
            assert not _overlapping(texts), (width, caption, _overlapping(texts))
            drawn = [text[0] for _box, text in texts]
            assert letters["bottom"] in drawn
            if width >= 130 * scale:   # all but the number left out of a view this narrow
                assert "117/233" in drawn, (width, drawn)
                assert caption in drawn or caption.split("  ")[0] in drawn, (width, drawn)
