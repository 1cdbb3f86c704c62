"""Grow from seeds: seeds painted for two or more segments grow into the image.

Method: marker-based watershed (``scipy.ndimage.watershed_ift``) on the gradient magnitude of the
image. Why this and not GrowCut or a random walker: scipy has no random walker, and scikit-image
is not a dependency; GrowCut (Slicer's method) is an iterative cellular automaton that would have
to be hand-written in Python and is slow on a 512x512x300 volume, while ``watershed_ift`` is a
compiled image-foresting transform, deterministic, and gives the same behaviour users expect from
"grow from seeds": each unlabelled voxel joins the seed it can reach across the weakest edges.
The gradient is Gaussian-smoothed with ``sigma_mm`` and measured per millimetre, so anisotropic
voxels do not bias the competition. It runs in the seeds' bounding box padded by ``padding_mm``.

Voxels of other (non-seed) segments stay as they are and act as walls; locked segments are never
changed. The result is proposed first (:meth:`GrowTool.propose`, the preview) and written on
apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
from scipy import ndimage

from ..errors import ToolError
from ..undo import box_slices
from .base import Proposal, Tool, mask_box, mm_to_voxels, pad_box, segment_value


@dataclass
class GrowParams:
    segments: Any = None
    """Seed segments (two or more); ``None``: every visible, unlocked segment with voxels."""
    padding_mm: float = 10.0
    """How far beyond the seeds' bounding box the segments may grow."""
    sigma_mm: float = 1.0
    """Smoothing of the image before taking its gradient."""


def gradient_magnitude(image: np.ndarray, spacing, sigma_mm: float) -> np.ndarray:
    """Gaussian gradient magnitude per millimetre."""
    image = image.astype(np.float32, copy=False)
    sigma = [max(sigma_mm / s, 0.0) for s in spacing]
    total = np.zeros(image.shape, dtype=np.float32)
    for axis in range(3):
        order = [0, 0, 0]
        order[axis] = 1
        derivative = ndimage.gaussian_filter(image, sigma, order=order, mode="nearest")
        total += (derivative / np.float32(spacing[axis])) ** 2
    return np.sqrt(total)


class GrowTool(Tool):
    name = "grow"
    Params = GrowParams
    previewable = True

    def _seed_values(self) -> list[int]:
        labels = self.target.labels
        present = set(labels.voxel_counts())
        if self.params.segments is None:
            values = [s.value for s in labels.segments if s.visible and not s.locked and s.value in present]
        else:
            values = [segment_value(s) for s in self.params.segments]
            missing = [v for v in values if v not in present]
            if missing:
                raise ToolError(f"seed segment(s) {missing} have no voxels: paint seeds first")
            locked = [v for v in values if v in labels.segments and labels.segments.get(v).locked]
            if locked:
                raise ToolError(f"seed segment(s) {locked} are locked")
        if len(values) < 2:
            raise ToolError("grow from seeds needs seeds of at least two segments "
                            "(e.g. the lesion and its surroundings)")
        return values

    def propose(self, p_ras=None) -> Optional[Proposal]:
        labels = self.target.labels
        values = self._seed_values()
        seeds = np.isin(labels.array, values)
        box = mask_box(seeds)
        box = pad_box(box, mm_to_voxels(self.params.padding_mm, labels.spacing), labels.shape)
        sub = box_slices(*box)
        current = labels.array[sub]
        cost = gradient_magnitude(self.target.image[sub], labels.spacing, self.params.sigma_mm)
        top = float(np.percentile(cost, 99.9)) or float(cost.max()) or 1.0
        cost_u16 = (np.clip(cost / top, 0.0, 1.0) * 65535).astype(np.uint16)
        is_seed = np.isin(current, values)
        walls = (current != 0) & ~is_seed
        markers = np.zeros(current.shape, dtype=np.int32)
        markers[is_seed] = current[is_seed]
        wall_marker = int(max(values)) + 1
        markers[walls] = wall_marker  # other segments compete too, so they stop the growth
        grown = ndimage.watershed_ift(cost_u16, markers)
        new_region = current.copy()
        free = current == 0
        take = free & (grown != wall_marker) & (grown > 0)
        new_region[take] = grown[take].astype(current.dtype)
        return Proposal(box[0], new_region)
