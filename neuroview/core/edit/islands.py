"""Islands: keep the largest, remove the small ones, or split islands into separate segments.

Connected components of one segment are computed with cc3d inside the segment's bounding box
(26-connected by default, like Slicer's "fully connected" option; 6 for face-only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..errors import ToolError
from ..undo import Box, box_slices
from .base import Tool, segment_box, segment_value

OPERATIONS = ("keep_largest", "remove_small", "split")


@dataclass
class IslandsParams:
    segment: Any = None
    operation: str = "keep_largest"
    """``keep_largest``, ``remove_small`` (below ``min_voxels`` or ``min_ml``) or ``split``."""
    min_voxels: Optional[int] = None
    min_ml: Optional[float] = None
    connectivity: int = 26
    """26 (faces, edges, corners) or 6 (faces only)."""


class IslandsTool(Tool):
    name = "islands"
    Params = IslandsParams

    def run(self, p_ras=None) -> Optional[Box]:
        import cc3d

        p = self.params
        if p.operation not in OPERATIONS:
            raise ToolError(f"unknown islands operation {p.operation!r}; choose one of {OPERATIONS}")
        if p.connectivity not in (6, 18, 26):
            raise ToolError("connectivity must be 6, 18 or 26")
        labels = self.target.labels
        value = segment_value(p.segment)
        if value in labels.segments and labels.segments.get(value).locked:
            raise ToolError(f"segment {labels.segments.get(value).name!r} is locked")
        box = segment_box(labels.array, value)
        if box is None:
            return None
        current = labels.array[box_slices(*box)]
        components = cc3d.connected_components(current == value, connectivity=p.connectivity)
        sizes = np.bincount(components.ravel())
        sizes[0] = 0
        order = np.argsort(-sizes[1:], kind="stable") + 1  # component ids, largest first
        order = order[sizes[order] > 0]
        new_region = current.copy()
        if p.operation == "keep_largest":
            new_region[(components > 0) & (components != order[0])] = 0
        elif p.operation == "remove_small":
            threshold = self._min_voxels()
            small = np.flatnonzero(sizes < threshold)
            new_region[np.isin(components, small[small > 0])] = 0
        else:
            table = labels.segments
            name = table.get(value).name if value in table else f"Segment {value}"
            for n, comp in enumerate(order[1:], start=2):
                segment = table.add(f"{name} {n}")
                labels.ensure_capacity(segment.value)
                if new_region.dtype != labels.array.dtype:
                    new_region = new_region.astype(labels.array.dtype)
                new_region[components == comp] = segment.value
        return self.write_region(box[0], new_region)

    def _min_voxels(self) -> int:
        p = self.params
        if p.min_voxels is None and p.min_ml is None:
            raise ToolError("remove_small needs min_voxels or min_ml")
        threshold = 0
        if p.min_voxels is not None:
            threshold = int(p.min_voxels)
        if p.min_ml is not None:
            threshold = max(threshold, int(np.ceil(p.min_ml / self.target.labels.voxel_volume_ml - 1e-9)))
        return threshold
