"""A second image drawn in colour over the slice, with an opacity (the overlay series, Slicer's
foreground volume).

The overlay is sampled at each screen pixel's RAS point on its own grid
(:func:`~neuroview.render.sampling.sample_plane`, linear, as the image is drawn), windowed with its
own window/level, coloured through a hot scale (black, red, yellow, white: bright signal stands out
over a grey image) and blended over the pixels inside its grid: ``(1 - opacity) * under + opacity *
colour``. Opacity 0 leaves the picture as it was; 1 shows the overlay alone where it lies.
"""

from __future__ import annotations

import numpy as np

from .sampling import sample_plane


def hot_colors(values: np.ndarray, window: float, level: float) -> np.ndarray:
    """``(..., 3)`` float32 colours of intensities over ``level +- window/2``: black to red (the
    lowest third), to yellow, to white (the top third); NaN is black."""
    low = np.float32(level - window / 2.0)
    t = (values.astype(np.float32) - low) * np.float32(3.0 / max(window, 1e-12))
    t = np.nan_to_num(t, nan=0.0)
    return np.clip(np.stack([t, t - 1.0, t - 2.0], axis=-1), 0.0, 1.0) * np.float32(255.0)


def draw_fusion(rgb: np.ndarray, layer, geom) -> None:
    """Blend ``layer`` (``array``, ``ijk_to_ras``, ``window``, ``level``, ``opacity``) over ``rgb``
    (uint8, in place) at ``geom``'s pixels; pixels outside its grid stay."""
    opacity = np.float32(min(max(float(layer.opacity), 0.0), 1.0))
    if opacity <= 0:
        return
    values, inside = sample_plane(layer.array, np.linalg.inv(layer.ijk_to_ras), geom, order=1)
    if not inside.any():
        return
    colors = hot_colors(values[inside], layer.window, layer.level)
    under = rgb[inside].astype(np.float32)
    rgb[inside] = (under * (1 - opacity) + colors * opacity + 0.5).astype(np.uint8)
