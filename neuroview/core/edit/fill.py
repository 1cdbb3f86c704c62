"""Fill: flood-fill the connected region under the cursor, in 2D (one slice) or 3D.

With an intensity range (``intensity_low``/``intensity_high``, or ``tolerance`` around the image
value under the cursor) the region is the set of face-connected voxels whose image value lies in
the range, as Slicer's flood filling does. Without one, the region is the connected patch of the
label under the cursor (a paint bucket: fills a hole enclosed by a contour in 2D).
Connected components come from cc3d (connected-components-3d), which is several times faster than
``scipy.ndimage.label`` on a whole CT.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..errors import ToolError
from ..undo import Box
from .base import Tool, mask_box, segment_value
from .brush import view_normal


@dataclass
class FillParams:
    segment: Any = None
    mode: str = "2d"
    """``"2d"``: the slice of ``view`` under the point; ``"3d"``: the whole volume."""
    view: Any = "axial"
    intensity_low: Optional[float] = None
    intensity_high: Optional[float] = None
    tolerance: Optional[float] = None
    """Range = image value under the cursor +/- tolerance (used when low/high are not given)."""


def slice_axis(view, ijk_to_ras) -> int:
    """The voxel axis closest to a view's normal (the axis whose index a 2D slice fixes)."""
    normal = view_normal(view, ijk_to_ras)
    linear = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
    columns = linear / np.linalg.norm(linear, axis=0)
    return int(np.argmax(np.abs(columns.T @ normal)))


def component_at(mask: np.ndarray, seed) -> np.ndarray:
    """The face-connected component of ``mask`` holding ``seed`` (empty when the seed is out)."""
    import cc3d

    if not mask[tuple(seed)]:
        return np.zeros_like(mask)
    squeeze = mask.ndim == 3 and 1 in mask.shape
    work = mask.squeeze() if squeeze else mask
    work_seed = tuple(s for s, n in zip(seed, mask.shape) if n != 1) if squeeze else tuple(seed)
    if work.ndim == 2:
        labels = cc3d.connected_components(work, connectivity=4)
    else:
        labels = cc3d.connected_components(work, connectivity=6)
    comp = labels == labels[work_seed]
    return comp.reshape(mask.shape)


class FillTool(Tool):
    name = "fill"
    Params = FillParams
    needs_point = True

    def run(self, p_ras) -> Optional[Box]:
        p = self.params
        value = segment_value(p.segment)
        labels = self.target.labels
        if value in labels.segments and labels.segments.get(value).locked:
            raise ToolError(f"segment {labels.segments.get(value).name!r} is locked")
        seed = self.target.volume.ras_to_voxel(p_ras)
        if seed is None:
            raise ToolError("the fill point lies outside the image")
        if p.mode not in ("2d", "3d"):
            raise ToolError(f"fill mode must be '2d' or '3d', got {p.mode!r}")
        if p.mode == "2d":
            axis = slice_axis(p.view, labels.ijk_to_ras)
            lo = [0, 0, 0]
            hi = list(self.target.shape)
            lo[axis], hi[axis] = seed[axis], seed[axis] + 1
        else:
            lo, hi = [0, 0, 0], list(self.target.shape)
        region = tuple(slice(a, b) for a, b in zip(lo, hi))
        local_seed = tuple(s - a for s, a in zip(seed, lo))
        low, high = p.intensity_low, p.intensity_high
        if low is None and high is None and p.tolerance is not None:
            centre = float(self.target.image[seed])
            low, high = centre - p.tolerance, centre + p.tolerance
        if low is None and high is None:
            current = labels.array[region]
            candidate = current == current[local_seed]
        else:
            image = self.target.image[region]
            candidate = np.ones(image.shape, dtype=bool)
            if low is not None:
                candidate &= image >= low
            if high is not None:
                candidate &= image <= high
        component = component_at(candidate, local_seed)
        box = mask_box(component)
        if box is None:
            return None
        sub = tuple(slice(a, b) for a, b in zip(*box))
        origin = tuple(a + b for a, b in zip(lo, box[0]))
        return self.write_mask(origin, np.ascontiguousarray(component[sub]), value)
