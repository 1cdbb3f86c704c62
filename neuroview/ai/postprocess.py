"""The card's post-processing of a segmenter's output: which connected regions are reported, and
how far each one reaches.

Keys of ``card.postprocessing`` (all optional; a card without any keeps the argmax labels):

- ``min_component_probability``: a region is kept only where the model reaches this probability
  somewhere in it (its seed).
- ``extent_probability``: a region is every voxel connected to its seed whose foreground
  probability (one minus the background's) is above this: hysteresis thresholding, so a found
  lesion is marked whole rather than only its most certain core. Absent: the argmax extent (for
  one label, probability above 0.5).
- ``min_component_contrast``: a region whose median intensity differs from the tissue around it
  by less than this (z units of the normalised image) is dropped (:func:`drop_flat_components`).
- ``strong_contrast`` with ``strong_contrast_probability``: a region whose contrast reaches
  ``strong_contrast`` is kept when its peak probability reaches ``strong_contrast_probability``,
  below ``min_component_probability`` (:func:`keep_sure_or_strong`).
- ``min_component_mm3``: a region smaller than this volume is dropped.

Regions are 26-connected (cc3d), as the lesion-wise metrics count them. Numpy, scipy and cc3d:
no torch.
"""

from __future__ import annotations

from typing import Callable, Mapping, Union

import numpy as np
from scipy import ndimage


def drop_weak_components(labels: np.ndarray, best: np.ndarray, threshold) -> np.ndarray:
    """Remove each connected region (26-connected, per label) whose highest probability is below
    ``threshold``; ``best`` holds the winning class's probability at every voxel (so, inside a
    region of label ``v``, the probability of ``v``). Like hysteresis thresholding: a region is
    kept when the model is sure of it somewhere. ``None`` or 0 keeps everything."""
    if not threshold or not labels.any():
        return labels
    import cc3d

    regions = cc3d.connected_components(labels, connectivity=26)
    inside = regions > 0
    peak = np.zeros(int(regions.max()) + 1, np.float32)
    np.maximum.at(peak, regions[inside], best[inside])
    weak = peak < float(threshold)
    weak[0] = False
    labels[weak[regions]] = 0
    return labels


def drop_flat_components(labels: np.ndarray, image: np.ndarray, threshold, shell: int = 2) -> np.ndarray:
    """Remove each connected region (26-connected) whose median intensity differs from the median
    of the tissue around it by less than ``threshold`` (:func:`region_contrast`), in the
    normalised image's units (z). A focal lesion is tissue unlike its surroundings, brighter or
    darker; a region of white matter the model calls lesion is not. ``None`` or 0 keeps
    everything."""
    if not threshold or not labels.any():
        return labels
    import cc3d

    regions = cc3d.connected_components(labels > 0, connectivity=26)
    flat = region_contrast(regions, image, shell) < float(threshold)  # NaN (no surroundings) stays
    flat[0] = False
    labels[flat[regions]] = 0
    return labels


def region_contrast(regions: np.ndarray, image: np.ndarray, shell: int = 2) -> np.ndarray:
    """For each region of ``regions`` (ids 1..n; index 0 unused), the absolute difference between
    its median intensity and the median of the tissue around it: a ``shell`` voxels thick, in no
    region, above the image's minimum (not the zeros outside a skull-stripped brain). NaN where
    nothing is around it."""
    floor = float(image.min())
    contrast = np.full(int(regions.max()) + 1, np.nan)
    for index, box in enumerate(ndimage.find_objects(regions), start=1):
        if box is None:
            continue
        wide = tuple(slice(max(b.start - shell, 0), b.stop + shell) for b in box)
        inside = regions[wide] == index
        around = ndimage.binary_dilation(inside, iterations=shell) & (regions[wide] == 0)
        around &= image[wide] > floor
        if around.any():
            inner, outer = np.median(image[wide][inside]), np.median(image[wide][around])
            contrast[index] = abs(float(inner) - float(outer))
    return contrast


def drop_small_components(labels: np.ndarray, min_mm3, voxel_mm3: float) -> np.ndarray:
    """Remove each connected region (26-connected) of fewer than ``min_mm3`` cubic millimetres
    (cc3d's dust). ``None`` or 0 keeps everything."""
    if not min_mm3 or not labels.any():
        return labels
    import cc3d

    voxels = int(np.ceil(float(min_mm3) / float(voxel_mm3)))
    return cc3d.dust(labels, threshold=voxels, connectivity=26, in_place=True)


def postprocess(labels: np.ndarray, best: np.ndarray, foreground: np.ndarray,
                foreground_labels: np.ndarray, image: Union[np.ndarray, Callable[[], np.ndarray]],
                rules: Mapping, voxel_mm3: float) -> np.ndarray:
    """The regions ``rules`` (a card's ``postprocessing``) report, as labels.

    ``labels`` is the argmax and ``best`` its probability; ``foreground`` is one minus the
    background's probability and ``foreground_labels`` the most likely label other than
    background (all on one grid). ``image`` is the normalised image, or a function that makes it
    (called only when the contrast rule needs it); ``voxel_mm3`` the volume of one voxel."""
    extent = rules.get("extent_probability")
    if extent:
        labels = np.where(foreground > float(extent), foreground_labels, 0).astype(np.uint8)
        best = foreground
    seed, contrast = rules.get("min_component_probability"), rules.get("min_component_contrast")
    if rules.get("strong_contrast"):
        labels = drop_weak_components(labels, best, rules.get("strong_contrast_probability"))
        if labels.any():
            labels = keep_sure_or_strong(labels, best, image() if callable(image) else image, seed,
                                         contrast, rules["strong_contrast"])
    else:
        labels = drop_weak_components(labels, best, seed)
        if contrast and labels.any():
            labels = drop_flat_components(labels, image() if callable(image) else image, contrast)
    return drop_small_components(labels, rules.get("min_component_mm3"), voxel_mm3)


def keep_sure_or_strong(labels: np.ndarray, best: np.ndarray, image: np.ndarray, seed, contrast,
                        strong) -> np.ndarray:
    """Keep each connected region (26-connected) the model is sure of (peak probability ``seed``
    or more, and contrast ``contrast`` or more) or whose contrast is ``strong`` or more (unlike
    its surroundings enough that a less sure call counts): the per-region rule combining
    probability and contrast (:func:`region_contrast`; a region with no surroundings counts as
    contrasting enough for the first test, not the second)."""
    import cc3d

    regions = cc3d.connected_components(labels > 0, connectivity=26)
    inside = regions > 0
    peak = np.full(int(regions.max()) + 1, -np.inf)   # cc3d numbers the regions 1..n, none empty
    np.maximum.at(peak, regions[inside], best[inside])   # the regions' voxels only, not the grid
    difference = region_contrast(regions, image)
    keep = (peak >= float(seed or 0)) & ~(difference < float(contrast or 0))
    keep |= difference >= float(strong)
    keep[0] = True
    labels[~keep[regions]] = 0
    return labels
