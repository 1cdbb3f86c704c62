"""Intensity normalisation shared by training and inference (numpy only, no torch).

``zscore_foreground``: MR intensities are in arbitrary units, so each image is clipped to the
0.5-99.5 percentiles of its foreground (voxels brighter than 10 % of the 99th percentile, which
drops the air around the head) and z-scored with the foreground's mean and standard deviation.
The card names the scheme and its parameters; both sides call the same function.

``nnunet``: the per-channel schemes of an nnU-Net v2 plans file (see :func:`nnunet_normalize`),
so that nnU-Net models see the intensities they were trained on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import ModelError

SCHEMES = ("zscore_foreground", "none", "nnunet")

TRAINING_CLIP_PERCENTILES = (0.5, 100.0)
"""The clip range the synthetic recipe trains with (and writes on its cards): no upper clip (100:
none at all, so a lesion painted into a training image after its statistics were taken is not
clipped to that image's brightest normal voxel either). On a
T1 white matter is the brain's brightest tissue, so a clip at the brain's 99.5th percentile (cards
before lesionseg 2.2.0) flattened a lesion 45 % brighter than white matter to white matter's top:
lesionseg 2.1.0 gave such lesions of 6-22 mm a probability of 0.02-0.5. nnU-Net does not clip MR
either (z-score only)."""


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
    if clip_percentiles[1] >= 100:  # no upper clip, also for values above this image's maximum
        high = float("inf")
    clipped = np.clip(foreground, low, high)
    std = float(clipped.std())
    return IntensityStats(low, high, float(clipped.mean()), std if std > 1e-8 else 1.0)


def windowed_stats(array: np.ndarray, low: float, high: float, foreground_fraction: float = 0.1,
                   clip_percentiles: tuple[float, float] = (0.5, 99.5)) -> IntensityStats:
    """:func:`foreground_stats` of the image seen through a window (a CT's ``low``..``high`` HU,
    as a radiologist reads it): on Hounsfield units the foreground rule (a tenth of the 99th
    percentile) took the bone or soft tissue alone and clipped lung, fat and brain to one value,
    so a lung nodule or a bleed had no contrast left (the AI click marked 315 of a 16 mm nodule's
    3802 voxels)."""
    stats = foreground_stats(np.clip(np.asarray(array, dtype=np.float32), low, high) - low,
                             foreground_fraction, clip_percentiles)
    return IntensityStats(max(stats.low + low, low), min(stats.high + low, high), stats.mean + low,
                          stats.std)


def apply_stats(array: np.ndarray, stats: IntensityStats) -> np.ndarray:
    """``(clip(array) - mean) / std`` as float32."""
    out = np.clip(np.asarray(array, dtype=np.float32), stats.low, stats.high)
    out -= np.float32(stats.mean)
    out /= np.float32(stats.std)
    return out


def normalize(array: np.ndarray, spec: dict, channel: int = 0) -> np.ndarray:
    """Normalise ``array`` (input channel ``channel``) as a model card's ``normalization`` says."""
    scheme = spec.get("scheme", "zscore_foreground")
    if scheme == "none":
        return np.asarray(array, dtype=np.float32)
    if scheme == "nnunet":
        channels = spec.get("channels") or []
        if channel >= len(channels):
            raise ModelError(f"the card's nnU-Net normalisation has no entry for channel {channel}")
        return nnunet_normalize(array, channels[channel])
    if scheme != "zscore_foreground":
        raise ModelError(f"unknown intensity normalisation {scheme!r}", hint=f"known: {', '.join(SCHEMES)}")
    stats = foreground_stats(array, float(spec.get("foreground_fraction", 0.1)),
                             tuple(spec.get("clip_percentiles", (0.5, 99.5))))
    return apply_stats(array, stats)


def nonzero_mask(array: np.ndarray) -> np.ndarray:
    """nnU-Net's ``create_nonzero_mask`` for one channel: voxels != 0, holes filled."""
    from scipy.ndimage import binary_fill_holes

    return binary_fill_holes(np.asarray(array) != 0)


def _bounding_box(mask: np.ndarray) -> tuple[slice, ...]:
    if not mask.any():
        return tuple(slice(0, n) for n in mask.shape)
    where = np.nonzero(mask)
    return tuple(slice(int(w.min()), int(w.max()) + 1) for w in where)


def nnunet_normalize(array: np.ndarray, spec: dict) -> np.ndarray:
    """One channel as nnU-Net v2's preprocessing normalises it (``default_normalization_schemes``).

    nnU-Net first crops the image to the bounding box of its nonzero voxels and computes
    ZScore/RescaleTo01 statistics there; neuroview takes the statistics from the same box but
    keeps (and predicts) the whole image, where nnU-Net calls everything outside the box
    background. Written here (about 30 lines) rather than calling nnU-Net's classes so that the
    card, not an installed nnunetv2, decides the maths; tests compare both.
    """
    method = spec.get("method", "ZScoreNormalization")
    image = np.array(array, dtype=np.float32)
    eps = 1e-8
    if method == "NoNormalization":
        return image
    if method == "RGBTo01Normalization":
        return image / np.float32(255.0)
    if method == "CTNormalization":
        props = spec.get("intensity") or {}
        try:
            low, high = float(props["percentile_00_5"]), float(props["percentile_99_5"])
            mean, std = float(props["mean"]), float(props["std"])
        except (KeyError, TypeError, ValueError):
            raise ModelError("CTNormalization needs the plans' foreground intensity properties "
                             "(mean, std, percentile_00_5, percentile_99_5)") from None
        np.clip(image, low, high, out=image)
        image -= np.float32(mean)
        image /= np.float32(max(std, eps))
        return image
    mask = nonzero_mask(image)
    box = image[_bounding_box(mask)]
    if method == "RescaleTo01Normalization":
        low = box.min()
        image -= low
        image /= np.float32(max(float(box.max() - low), eps))
        return image
    if method != "ZScoreNormalization":
        raise ModelError(f"unknown nnU-Net normalisation {method!r}")
    if spec.get("use_mask_for_norm"):
        values = image[mask]
        mean, std = values.mean(), values.std()
        image[mask] = (values - mean) / max(float(std), eps)
        return image
    mean, std = box.mean(), box.std()
    image -= mean
    image /= np.float32(max(float(std), eps))
    return image
