"""Islands: keep the largest, remove the small ones, keep or remove the island clicked, or split
islands into separate segments (as 3D Slicer's Islands effect).

Connected components of one segment are computed with cc3d inside the segment's bounding box
(26-connected by default, like Slicer's "fully connected" option; 6 for face-only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..errors import ToolError
from ..undo import Box, box_slices
from .base import Tool, one_of, segment_box

OPERATIONS = ("keep_largest", "remove_small", "keep_selected", "remove_selected", "split")
SELECTED = ("keep_selected", "remove_selected")
"""The operations that act on the island under a point (a click in a slice view, ``at_ras``)."""


@dataclass
class IslandsParams:
    segment: Any = None
    operation: str = "keep_largest"
    """``keep_largest``, ``remove_small`` (below ``min_voxels`` or ``min_ml``), ``keep_selected`` or
    ``remove_selected`` (the island under the point given) or ``split`` (islands below
    ``min_voxels`` or ``min_ml``, when given, removed as Slicer's split does)."""
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
        one_of(p.operation, OPERATIONS, "islands operation")
        if p.connectivity not in (6, 18, 26):
            raise ToolError("connectivity must be 6, 18 or 26")
        labels = self.target.labels
        value = self.unlocked_value(p.segment)
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
        elif p.operation in SELECTED:
            chosen = components[tuple(np.subtract(self._clicked(p_ras, value), box[0]))]
            new_region[(components > 0) & ((components == chosen) != (p.operation == "keep_selected"))] = 0
        elif p.operation == "remove_small":
            self._remove_small(new_region, components, sizes, self._min_voxels())
        else:
            if p.min_voxels is not None or p.min_ml is not None:
                self._remove_small(new_region, components, sizes, self._min_voxels())
                order = order[sizes[order] >= self._min_voxels()]
            table = labels.segments
            name = table.get(value).name if value in table else f"Segment {value}"
            for n, comp in enumerate(order[1:], start=2):
                segment = table.add(f"{name} {n}")
                labels.ensure_capacity(segment.value)
                if new_region.dtype != labels.array.dtype:
                    new_region = new_region.astype(labels.array.dtype)
                new_region[components == comp] = segment.value
        return self.write_region(box[0], new_region)

    @staticmethod
    def _remove_small(region: np.ndarray, components: np.ndarray, sizes: np.ndarray, least: int) -> None:
        small = np.flatnonzero(sizes < least)
        region[np.isin(components, small[small > 0])] = 0

    def _clicked(self, p_ras, value: int) -> tuple[int, int, int]:
        """The voxel of segment ``value`` under ``p_ras``, or a ToolError saying what to click."""
        labels = self.target.labels
        name = labels.segments.get(value).name if value in labels.segments else f"segment {value}"
        verb = "keep" if self.params.operation == "keep_selected" else "remove"
        if p_ras is None:
            raise ToolError(f"Islands: click on an island of {name!r} in a slice view to {verb} it")
        voxel = self.target.volume.ras_to_voxel(p_ras)
        if voxel is None or labels.array[voxel] != value:
            raise ToolError(f"Islands: the click is not on {name!r}: click on one of its islands "
                            f"to {verb} it")
        return voxel

    def _min_voxels(self) -> int:
        p = self.params
        if p.min_voxels is None and p.min_ml is None:
            raise ToolError(f"{p.operation} needs min_voxels or min_ml")
        threshold = 0
        if p.min_voxels is not None:
            threshold = int(p.min_voxels)
        if p.min_ml is not None:
            threshold = max(threshold, int(np.ceil(p.min_ml / self.target.labels.voxel_volume_ml - 1e-9)))
        return threshold
