"""Fill between slices: a segment drawn on every few slices is interpolated to the slices between.

Method: signed-distance interpolation (as in ITK-SNAP's and many planimetry tools' "interpolate
between slices"). For two drawn slices ``k0 < k1`` with empty slices between, each drawn shape
becomes a 2D signed distance map in millimetres (negative inside); a slice at fraction ``w`` gets
the shape ``(1 - w) * d0 + w * d1 < 0``. Shapes morph smoothly in size and position, and the drawn
slices are reproduced exactly. Slices beyond the first and last drawn ones are not extrapolated,
and slices that already hold the segment are left alone. Only background (and, per the overwrite
policy, other unlocked segments) is written. The result is proposed first (preview), then applied.
In a view oblique to the voxel grid the drawn slices are planes across it: ``interpolate_plane``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..undo import box_slices
from .base import Proposal, Tool, segment_box, signed_distance
from .interpolate_plane import fill_between_planes
from .plane import grid_aligned, slice_axis, view_normal


@dataclass
class InterpolateParams:
    segment: Any = None
    view: Any = "axial"
    """The slices drawn on: a view name, a voxel axis (``i``, ``j``, ``k``) or a RAS normal. A
    view oblique to the voxel grid interpolates between the planes drawn along its normal."""


class InterpolateTool(Tool):
    name = "interpolate"
    Params = InterpolateParams
    previewable = True

    def propose(self, p_ras=None) -> Optional[Proposal]:
        labels = self.target.labels
        value = self.unlocked_value(self.params.segment)
        normal = view_normal(self.params.view, labels.ijk_to_ras)
        box = segment_box(labels.array, value)
        if box is None:
            return None
        if not grid_aligned(normal, labels.ijk_to_ras):
            return self._propose_oblique(value, box, normal)
        axis = slice_axis(normal, labels.ijk_to_ras)
        current = np.moveaxis(labels.array[box_slices(*box)], axis, 0)
        inside = current == value
        drawn = np.flatnonzero(inside.reshape(inside.shape[0], -1).any(axis=1))
        in_plane = [s for a, s in enumerate(labels.spacing) if a != axis]
        new_region = current.copy()
        allowed = self.allowed_for(current, value)
        for k0, k1 in zip(drawn[:-1], drawn[1:]):
            if k1 - k0 < 2:
                continue
            d0 = signed_distance(inside[k0], in_plane)
            d1 = signed_distance(inside[k1], in_plane)
            for k in range(k0 + 1, k1):
                w = (k - k0) / (k1 - k0)
                shape = ((1.0 - w) * d0 + w * d1) < 0
                new_region[k][shape & allowed[k]] = value
        if len(drawn) < 2:
            return None
        return Proposal(box[0], np.ascontiguousarray(np.moveaxis(new_region, 0, axis)))

    def _propose_oblique(self, value: int, box, normal) -> Optional[Proposal]:
        """A view oblique to the voxel grid: between the planes drawn along its normal
        (:mod:`.interpolate_plane`), in the segment's box grown by a voxel."""
        labels = self.target.labels
        lo = tuple(max(a - 1, 0) for a in box[0])
        hi = tuple(min(b + 1, n) for b, n in zip(box[1], labels.shape))
        current = labels.array[box_slices(lo, hi)]
        added = fill_between_planes(current == value, lo, labels.ijk_to_ras, normal)
        if added is None:
            return None
        region = current.copy()
        region[added & self.allowed_for(current, value)] = value
        return Proposal(lo, region)
