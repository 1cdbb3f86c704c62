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
from .base import Tool, mask_box
from .plane import ViewPlane


@dataclass
class FillParams:
    segment: Any = None
    mode: str = "2d"
    """``"2d"``: the voxels the plane of ``view`` passes through (``plane.ViewPlane``, as the 2D
    brush paints); ``"3d"``: the whole volume."""
    view: Any = "axial"
    plane_ras: Any = None
    """A RAS point of the view's plane (2D mode; ``None``: the plane through the point)."""
    intensity_low: Optional[float] = None
    intensity_high: Optional[float] = None
    tolerance: Optional[float] = None
    """Range = image value under the cursor +/- tolerance (used when low/high are not given)."""


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
        value = self.unlocked_value(p.segment)
        labels = self.target.labels
        seed = self.target.volume.ras_to_voxel(p_ras)
        if seed is None:
            raise ToolError("the fill point lies outside the image")
        if p.mode not in ("2d", "3d"):
            raise ToolError(f"fill mode must be '2d' or '3d', got {p.mode!r}")
        in_plane = None
        if p.mode == "2d":
            plane = ViewPlane(labels.ijk_to_ras, self.target.shape, p.view, p_ras, p.plane_ras)
            box = plane.box()
            if box is None:
                return None
            lo, hi = box
            in_plane = plane.mask(lo, hi)
        else:
            lo, hi = [0, 0, 0], list(self.target.shape)
        if any(not a <= s < b for s, a, b in zip(seed, lo, hi)):
            return None  # the point is not on the plane: nothing of it is shown there
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
            self.masked_out = not candidate[local_seed]   # the voxel clicked is out of the range
        if in_plane is not None:
            candidate &= in_plane
        component = component_at(candidate, local_seed)
        box = mask_box(component)
        if box is None:
            return None
        sub = tuple(slice(a, b) for a, b in zip(*box))
        origin = tuple(a + b for a, b in zip(lo, box[0]))
        return self.write_mask(origin, np.ascontiguousarray(component[sub]), value)
