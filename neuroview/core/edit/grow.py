"""Grow from seeds: seeds painted for two or more segments grow into the image.

Method: marker-based watershed by the image foresting transform (``scipy.ndimage.watershed_ift``).
Why this and not GrowCut or a random walker: scipy has no random walker and scikit-image is not a
dependency; GrowCut (Slicer's method) is an iterative cellular automaton that would have to be
hand-written in Python and is slow on a 512x512x300 volume, while ``watershed_ift`` is compiled,
deterministic and behaves as users expect from "grow from seeds": every unlabelled voxel joins the
seed it reaches along the path whose largest intensity step between neighbouring voxels is
smallest, so segments meet at edges. (scipy's IFT weighs an arc by ``|input[p] - input[q]|``, so it
is given the Gaussian-smoothed image itself, not its gradient magnitude.) The image is smoothed with
``sigma_mm`` against noise and rescaled to 12 bits between robust percentiles of the region. It runs
in the seeds' bounding box padded by ``padding_mm``.

Voxels of other (non-seed) segments stay as they are and act as walls; locked segments are never
changed. The result is proposed first (:meth:`GrowTool.propose`, the preview) and written on
apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..errors import ToolError
from ..undo import box_slices
from .base import Proposal, Tool, mask_box, mm_to_voxels, pad_box, segment_value

COST_LEVELS = 4095
"""Intensity levels. Kept far below 65535: watershed_ift's cost overflows near the top of the
uint16 range (scipy issue #19575), and 12 bits keep its bucket queue small."""


@dataclass
class GrowParams:
    segments: Any = None
    """Seed segments (two or more); ``None``: every visible, unlocked segment with voxels."""
    padding_mm: float = 10.0
    """How far beyond the seeds' bounding box the segments may grow."""
    sigma_mm: float = 0.5
    """Gaussian smoothing of the image (mm) against noise; 0 for none."""


def smoothed_levels(image: np.ndarray, spacing, sigma_mm: float) -> np.ndarray:
    """The image smoothed with ``sigma_mm`` and rescaled to ``0..COST_LEVELS`` (uint16)."""
    from scipy import ndimage  # (imported when used: the window's start need not pay for scipy)

    image = image.astype(np.float32, copy=False)
    if sigma_mm > 0:
        image = ndimage.gaussian_filter(image, [sigma_mm / s for s in spacing], mode="nearest")
    low, high = np.percentile(image, [0.5, 99.5])
    if high <= low:
        return np.zeros(image.shape, dtype=np.uint16)
    scaled = np.clip((image - low) / (high - low), 0.0, 1.0) * COST_LEVELS
    return scaled.astype(np.uint16)


def _seeds(values) -> str:
    """``seed segment 3`` or ``seed segments 3, 4``."""
    return f"seed segment{'' if len(values) == 1 else 's'} {', '.join(map(str, values))}"


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
                raise ToolError(f"{_seeds(missing)} {'has' if len(missing) == 1 else 'have'} no voxels: "
                                "paint seeds first")
            locked = [v for v in values if v in labels.segments and labels.segments.get(v).locked]
            if locked:
                raise ToolError(f"{_seeds(locked)} {'is' if len(locked) == 1 else 'are'} locked")
        if len(values) < 2:
            raise ToolError("grow from seeds needs seeds of at least two segments "
                            "(e.g. the lesion and its surroundings)")
        return values

    def propose(self, p_ras=None) -> Optional[Proposal]:
        from scipy import ndimage

        labels = self.target.labels
        values = self._seed_values()
        seeds = np.isin(labels.array, values)
        box = mask_box(seeds)
        box = pad_box(box, mm_to_voxels(self.params.padding_mm, labels.spacing), labels.shape)
        sub = box_slices(*box)
        current = labels.array[sub]
        levels = smoothed_levels(self.target.image[sub], labels.spacing, self.params.sigma_mm)
        is_seed = np.isin(current, values)
        walls = (current != 0) & ~is_seed
        markers = np.zeros(current.shape, dtype=np.int32)
        markers[is_seed] = current[is_seed]
        wall_marker = int(max(values)) + 1
        markers[walls] = wall_marker  # other segments compete too, so they stop the growth
        grown = ndimage.watershed_ift(levels, markers)
        new_region = current.copy()
        free = current == 0
        take = free & (grown != wall_marker) & (grown > 0)
        new_region[take] = grown[take].astype(current.dtype)
        return Proposal(box[0], new_region)
