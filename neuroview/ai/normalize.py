"""Intensity normalisation shared by training and inference (numpy only, no torch).

``zscore_foreground``: MR intensities are in arbitrary units, so each image is clipped to the
0.5-99.5 percentiles of its foreground (voxels brighter than 10 % of the 99th percentile, which
drops the air around the head) and z-scored with the foreground's mean and standard deviation.
The card names the scheme and its parameters; both sides call the same function.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import ModelError

SCHEMES = ("zscore_foreground", "none")


@dataclass(frozen=True)
class IntensityStats:
    low: float
    high: float
    mean: float
    std: float


def foreground_stats(array: np.ndarray, foreground_fraction: float = 0.1,
                     clip_percentiles: tuple[float, float] = (0.5, 99.5)) -> IntensityStats:
    """Clip range, mean and std of an image's foreground (estimated on at most ~2 M voxels)."""
    flat = np.asarray(array).reshape(-1)
    step = max(1, flat.size // 2_000_000)
    sample = flat[::step].astype(np.float32)
    sample = sample[np.isfinite(sample)]
    if sample.size == 0:
        raise ModelError("image holds no finite values")
    p99 = float(np.percentile(sample, 99))
    foreground = sample[sample > foreground_fraction * p99] if p99 > 0 else sample
    if foreground.size < 10:
        foreground = sample
    low, high = (float(v) for v in np.percentile(foreground, clip_percentiles))
    clipped = np.clip(foreground, low, high)
    std = float(clipped.std())
    return IntensityStats(low, high, float(clipped.mean()), std if std > 1e-8 else 1.0)


def apply_stats(array: np.ndarray, stats: IntensityStats) -> np.ndarray:
    """``(clip(array) - mean) / std`` as float32."""
    out = np.clip(np.asarray(array, dtype=np.float32), stats.low, stats.high)
    out -= np.float32(stats.mean)
    out /= np.float32(stats.std)
    return out


def normalize(array: np.ndarray, spec: dict) -> np.ndarray:
    """Normalise ``array`` as a model card's ``normalization`` entry says."""
    scheme = spec.get("scheme", "zscore_foreground")
    if scheme == "none":
        return np.asarray(array, dtype=np.float32)
    if scheme != "zscore_foreground":
        raise ModelError(f"unknown intensity normalisation {scheme!r}", hint=f"known: {', '.join(SCHEMES)}")
    stats = foreground_stats(array, float(spec.get("foreground_fraction", 0.1)),
                             tuple(spec.get("clip_percentiles", (0.5, 99.5))))
    return apply_stats(array, stats)
