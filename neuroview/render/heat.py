"""A float map (uncertainty, probability) drawn over a slice as a heat overlay, in numpy.

Values below ``threshold`` are transparent; from there to ``vmax`` the colour goes from yellow
(255, 255, 0) to red (255, 0, 0) and the opacity from 40 % to 100 % of ``opacity``, so weak values
tint lightly and strong ones stand out. The map is sampled at each screen pixel's RAS point like a
label map on another grid (:func:`neuroview.render.sampling.sample_plane`): nearest voxel on planes
aligned with the map's axes (its blocks keep their true outline), linear on oblique ones.
"""

from __future__ import annotations

import numpy as np

from .sampling import is_oblique, sample_plane

YELLOW = np.array([255.0, 255.0, 0.0], dtype=np.float32)
RED = np.array([255.0, 0.0, 0.0], dtype=np.float32)
MIN_OPACITY = 0.4
"""Share of ``opacity`` at the threshold (a value just above it is still visible)."""


def heat_colors(values: np.ndarray, threshold: float, vmax: float,
                opacity: float) -> tuple[np.ndarray, np.ndarray]:
    """Colour ``(..., 3)`` float32 and opacity ``(...)`` float32 of each value."""
    values = np.asarray(values, dtype=np.float32)
    span = max(float(vmax) - float(threshold), 1e-12)
    t = np.clip((values - np.float32(threshold)) / np.float32(span), 0.0, 1.0)
    colors = YELLOW + t[..., None] * (RED - YELLOW)
    alpha = np.where(values >= threshold, np.float32(opacity) * (MIN_OPACITY + (1 - MIN_OPACITY) * t),
                     np.float32(0.0)).astype(np.float32)
    alpha[~np.isfinite(values)] = 0.0
    return colors.astype(np.float32), alpha


def blend_heat(rgb: np.ndarray, values2d: np.ndarray, threshold: float, vmax: float,
               opacity: float, inside: np.ndarray | None = None) -> None:
    """Blend a sampled float map over ``rgb`` (uint8, in place); pixels outside its grid stay."""
    mask = np.isfinite(values2d) & (values2d >= threshold)
    if inside is not None:
        mask &= inside
    if not mask.any():
        return
    colors, alpha = heat_colors(values2d[mask], threshold, vmax, opacity)
    under = rgb[mask].astype(np.float32)
    a = alpha[:, None]
    rgb[mask] = (under * (1 - a) + colors * a + 0.5).astype(np.uint8)


def draw_heat(rgb: np.ndarray, overlay, geom) -> np.ndarray | None:
    """Sample ``overlay`` (``array``, ``ijk_to_ras``, ``threshold``, ``vmax``, ``opacity``) at the
    view's pixels and blend it over ``rgb``; returns the sampled values (``nan`` outside)."""
    ras_to_ijk = np.linalg.inv(overlay.ijk_to_ras)
    values, inside = sample_plane(np.asarray(overlay.array, dtype=np.float32), ras_to_ijk, geom,
                                  order=1 if is_oblique(ras_to_ijk, geom) else 0, fill=np.nan)
    blend_heat(rgb, values, overlay.threshold, overlay.vmax, overlay.opacity, inside)
    return values
