"""A second image drawn in colour over the slice, with an opacity (the overlay series, Slicer's
foreground volume).

The overlay is sampled at each screen pixel's RAS point on its own grid
(:func:`~neuroview.render.sampling.sample_plane`, linear, as the image is drawn), windowed with its
own window/level, coloured through a hot scale (black, red, yellow, white: bright signal stands out
over a grey image) and blended over the grey picture where it lies: ``(1 - opacity) * grey +
opacity * colour``. Opacity 0 leaves the picture as it was; 1 shows the overlay alone there.

The blend is one table lookup per pixel (:func:`fused`): every (grey level, overlay step) pair's
colour, 256 x 767 entries (the last: no overlay there), made once per opacity. An overlay step is
its value over the window in 765ths, one per colour level of the hot scale (three ramps of 255),
so the colours are those of :func:`hot_colors` rounded. Blending with masks and float arithmetic
per pixel cost as much again as the sampling (``bench/overlay.py``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .sampling import sample_plane

STEPS = 3 * 255 + 1
"""Overlay levels: each channel of the hot scale ramps over a third of them."""


def hot_colors(values: np.ndarray, window: float, level: float) -> np.ndarray:
    """``(..., 3)`` float32 colours of intensities over ``level +- window/2``: black to red (the
    lowest third), to yellow, to white (the top third); NaN is black."""
    return _hot(_steps_float(values, window, level))


def _steps_float(values, window: float, level: float) -> np.ndarray:
    low = np.float32(level - window / 2.0)
    t = (np.asarray(values, dtype=np.float32) - low) * np.float32((STEPS - 1) / max(window, 1e-12))
    return np.clip(np.nan_to_num(t, nan=0.0), 0, STEPS - 1)


def _hot(steps: np.ndarray) -> np.ndarray:
    s = np.asarray(steps, dtype=np.float32)[..., None] - np.array([0, 255, 510], dtype=np.float32)
    return np.clip(s, 0, 255)


def _grey(steps: np.ndarray) -> np.ndarray:
    return np.repeat(np.asarray(steps, dtype=np.float32)[..., None] / np.float32(3.0), 3, axis=-1)


COLOUR_SCALES = {"hot": _hot, "grey": _grey}
"""The overlay's colour scales by name: hot (bright signal stands out over the grey image) and
grey (at opacity 100 %, **O** flicks between the two series at one point, as in a PACS)."""


@lru_cache(maxsize=4)
def _table(opacity: float, colours: str = "hot") -> np.ndarray:
    """``(256 * (STEPS + 1),)`` rows of 3 bytes: the colour of grey level ``g`` under overlay
    step ``s`` at ``opacity``, at ``g * (STEPS + 1) + s``; step ``STEPS``: no overlay (the grey)."""
    grey = np.arange(256, dtype=np.float32)[:, None, None]
    colours = COLOUR_SCALES[colours](np.arange(STEPS))[None, :, :]
    a = np.float32(opacity)
    table = np.empty((256, STEPS + 1, 3), dtype=np.uint8)
    table[:, :STEPS] = (grey * (1 - a) + colours * a + 0.5).astype(np.uint8)
    table[:, STEPS] = np.arange(256, dtype=np.uint8)[:, None]
    return np.ascontiguousarray(table.reshape(-1, 3)).view("V3").reshape(-1)


def sample_layer(layer, geom) -> tuple | None:
    """``(values, inside)``: ``layer``'s values at ``geom``'s pixels (linear, on its own grid), what
    :func:`fused` colours; ``None`` at opacity 0 (nothing of it shows, so nothing is sampled)."""
    if float(layer.opacity) <= 0:
        return None
    return sample_plane(layer.array, np.linalg.inv(layer.ijk_to_ras), geom, order=1)


def fused(gray: np.ndarray, layer, sampled: tuple | None) -> np.ndarray:
    """The ``(h, w, 3)`` picture of the grey image ``gray`` (uint8) with ``layer`` (``window``,
    ``level``, ``opacity``, ``colours``: a :data:`COLOUR_SCALES` name) over it, whose values at
    the pixels are ``sampled`` (:func:`sample_layer`; a slice view keeps them and re-colours them
    alone when only the layer's window, opacity or colours change); pixels outside the layer's
    grid stay grey."""
    opacity = float(min(max(float(layer.opacity), 0.0), 1.0))
    index = gray.astype(np.int32) * (STEPS + 1)
    values, inside = sampled if sampled is not None and opacity > 0 else (None, None)
    if inside is not None and inside.any():
        steps = (_steps_float(values, layer.window, layer.level) + np.float32(0.5)).astype(np.int32)
        steps[~inside] = STEPS
        index += steps
    else:
        index += STEPS
    table = _table(opacity, getattr(layer, "colours", "hot"))
    return table.take(index).view(np.uint8).reshape(*gray.shape, 3)
