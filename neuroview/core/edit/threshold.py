"""Threshold: every voxel whose image value lies in a range joins the selected segment, as 3D
Slicer's Threshold effect and ITK-SNAP's threshold pre-segmentation give a CT reader bone (from
300 HU), a bleed (50-90 HU) or air in one step, connected or not (*Fill* takes only the region
connected to a click). Voxels already in the segment stay; locks and the overwrite policy apply.
The image is read in slabs of slices, so no volume-sized mask is held (a 512 x 512 x 1000 CT's
would be 262 MB).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..errors import ToolError
from ..undo import Box
from .base import Tool, segment_value

SLAB_SLICES = 16


@dataclass
class ThresholdParams:
    segment: Any = None
    intensity_low: Optional[float] = None
    """Lowest image value that joins (``None``: no lower bound)."""
    intensity_high: Optional[float] = None
    """Highest image value that joins (``None``: no upper bound)."""


class ThresholdTool(Tool):
    name = "threshold"
    Params = ThresholdParams

    def run(self, p_ras=None) -> Optional[Box]:
        p = self.params
        low, high = p.intensity_low, p.intensity_high
        if low is None and high is None:
            raise ToolError("threshold needs a range: set 'Intensity from', 'Intensity to' or both")
        if low is not None and high is not None and low > high:
            raise ToolError(f"threshold range {low:g} to {high:g} is empty: 'from' is above 'to'")
        value = segment_value(p.segment)
        image, shape = self.target.image, self.target.shape
        lo_box, hi_box = None, None
        for k0 in range(0, shape[2], SLAB_SLICES):
            k1 = min(k0 + SLAB_SLICES, shape[2])
            slab = image[:, :, k0:k1]
            mask = np.ones(slab.shape, dtype=bool)
            if low is not None:
                mask &= slab >= low
            if high is not None:
                mask &= slab <= high
            if not mask.any():
                continue
            box = self.write_mask((0, 0, k0), mask, value)
            if box is not None:
                lo_box = box[0] if lo_box is None else tuple(map(min, lo_box, box[0]))
                hi_box = box[1] if hi_box is None else tuple(map(max, hi_box, box[1]))
        return None if lo_box is None else (lo_box, hi_box)
