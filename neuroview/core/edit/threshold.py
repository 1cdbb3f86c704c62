"""Threshold: the selected segment becomes the voxels whose intensity lies in a range.

As 3D Slicer's *Threshold* effect: *Apply* sets the segment to the voxels of the image (its first
frame) with ``low <= value <= high``; the segment's voxels outside the range are cleared, and the
voxels in range are written as the overwrite policy and the locks allow (a locked segment is
never overwritten; with ``policy="background"`` only empty voxels are taken). One undo step.

:func:`default_range` proposes a range for an image: from Otsu's threshold (computed on a
strided sample, so a 512^3 CT costs milliseconds) to the image's maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..errors import ToolError
from ..undo import Box, box_slices, union_box
from .base import Tool, mask_box, protected_lut, segment_box

SAMPLE_VOXELS = 1 << 20
"""About how many voxels :func:`default_range` looks at (every n-th along each axis)."""


@dataclass
class ThresholdParams:
    segment: Any = None
    low: Optional[float] = None
    """Lowest intensity taken (inclusive); ``None``: no lower bound."""
    high: Optional[float] = None
    """Highest intensity taken (inclusive); ``None``: no upper bound."""


def in_range(values: np.ndarray, low, high) -> np.ndarray:
    """Boolean mask of ``low <= values <= high`` (a bound of ``None`` is open); NaN is out."""
    ok = np.isfinite(values) if np.issubdtype(values.dtype, np.floating) else np.ones(values.shape, bool)
    if low is not None:
        ok &= values >= low
    if high is not None:
        ok &= values <= high
    return ok


def written(values: np.ndarray, current: np.ndarray, low, high, protected: np.ndarray) -> np.ndarray:
    """The voxels *Apply* sets to the segment: in ``[low, high]`` and holding a label that
    ``protected`` (a lookup ``protected[label]``, ``base.protected_lut``: locks and the overwrite
    policy) lets it overwrite. ``current``: the labels of the same voxels. The window's preview
    (``render.threshold``) tints exactly these."""
    return in_range(values, low, high) & ~protected[current]


def sample(image: np.ndarray) -> np.ndarray:
    """Finite values of every n-th voxel along each axis (about :data:`SAMPLE_VOXELS`)."""
    step = max(1, int(round((image.size / SAMPLE_VOXELS) ** (1 / max(image.ndim, 1)))))
    values = np.asarray(image[(slice(None, None, step),) * image.ndim], dtype=np.float64).ravel()
    return values[np.isfinite(values)]


def otsu(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold of ``values``: the bin edge of a ``bins``-bin histogram that maximises
    the between-class variance (as ``skimage.filters.threshold_otsu``); the value if flat."""
    if values.size == 0:
        return 0.0
    if values.min() == values.max():
        return float(values.min())
    counts, edges = np.histogram(values, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    weight1 = np.cumsum(counts)
    weight2 = np.cumsum(counts[::-1])[::-1]
    mean1 = np.cumsum(counts * centres) / weight1
    mean2 = (np.cumsum((counts * centres)[::-1]) / weight2[::-1])[::-1]
    variance = weight1[:-1] * weight2[1:] * (mean1[:-1] - mean2[1:]) ** 2
    return float(centres[:-1][np.argmax(variance)])


def default_range(image: np.ndarray) -> tuple[float, float]:
    """A starting range for ``image``: (Otsu's threshold, the maximum)."""
    values = sample(image)
    if values.size == 0:
        raise ToolError("the image holds no finite value to threshold")
    return otsu(values), float(np.nanmax(image))


class ThresholdTool(Tool):
    name = "threshold"
    Params = ThresholdParams

    def run(self, p_ras=None) -> Optional[Box]:
        p = self.params
        if p.low is None and p.high is None:
            raise ToolError("threshold needs an intensity range (low, high)")
        if p.low is not None and p.high is not None and p.low > p.high:
            raise ToolError(f"threshold range is empty: from {p.low:g} to {p.high:g}")
        labels = self.target.labels
        value = self.unlocked_value(p.segment)
        wanted = in_range(self.target.image, p.low, p.high)
        box = union_box(segment_box(labels.array, value), mask_box(wanted))
        if box is None:
            return None
        sub = box_slices(*box)
        current = labels.array[sub]
        new_region = current.copy()
        new_region[(current == value) & ~wanted[sub]] = 0
        lut = protected_lut(labels, value, self.target.policy)
        new_region[written(self.target.image[sub], current, p.low, p.high, lut)] = value
        return self.write_region(box[0], new_region)
