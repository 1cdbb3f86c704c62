"""Each slice view draws a scale bar (lower right, above the slice number) whose length on screen
is the length it is labelled with, in the image's millimetres, at any zoom."""

from __future__ import annotations

import numpy as np

from neuroview.app.view_state import ViewerState
from neuroview.core.volume import Volume
from neuroview.render.slices import LETTER_COLOR, render_view
from neuroview.render.text import text_alpha


def _bar(rgb: np.ndarray):
    """Columns of the longest run of the letters' colour in a row of the lower right quarter:
    ``(first, last)``."""
    h, w = rgb.shape[:2]
    yellow = np.all(rgb == LETTER_COLOR, axis=2)
    best = (0, 0, 0)
    for row in range(h // 2, h):
        padded = np.concatenate([[0], yellow[row, w // 2:].astype(int), [0]])
        edges = np.flatnonzero(np.diff(padded))
        for start, stop in zip(edges[::2], edges[1::2]):
            if stop - start > best[0]:
                best = (stop - start, start + w // 2, stop - 1 + w // 2)
    return best[1], best[2]


def _label_shown(rgb: np.ndarray, text: str) -> bool:
    """Whether ``text`` is drawn in the letters' colour in the lower right quarter (its glyphs'
    full-coverage pixels, found by matching the mask)."""
    h, w = rgb.shape[:2]
    mask = text_alpha(text, 12) > 0.99
    yellow = np.abs(rgb.astype(int) - LETTER_COLOR).max(axis=2) <= 3
    windows = np.lib.stride_tricks.sliding_window_view(yellow[h // 2:, w // 2:], mask.shape)
    return bool(windows[..., mask].all(axis=-1).any())


def test_the_bar_is_as_long_as_it_says_at_any_zoom():
    affine = np.diag([0.9, 0.9, 5.0, 1.0])
    volume = Volume(np.zeros((256, 256, 30), np.float32), affine)
    state = ViewerState(volume.shape, affine, 100.0, 50.0)
    seen = set()
    for zoom in (1.0, 2.5, 6.0):
        state.views["axial"].zoom = zoom
        rgb = render_view(volume, state, "axial", 400, 300, crosshair=False).rgb
        mm_per_pixel = state.geometry("axial", 400, 300).mm_per_pixel
        first, last = _bar(rgb)
        length_mm = (last - first + 1) * mm_per_pixel
        labels = [mm for mm in (1, 2, 5, 10, 20, 50, 100, 200) if _label_shown(rgb, f"{mm} mm")]
        assert len(labels) == 1, (zoom, labels)
        label = labels[0]
        assert abs(length_mm - label) <= 2 * mm_per_pixel, (zoom, length_mm, label)
        assert (last - first + 1) <= 400 / 5 + 2
        seen.add(label)
    assert len(seen) == 3   # a shorter bar label as the view zooms in
