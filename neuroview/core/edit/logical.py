"""Logical operations between segments: copy, add, subtract, intersect, clear.

``segment`` is the segment changed; ``other`` is the modifier: another segment (its label value or
:class:`Segment`) or a boolean mask on the image grid (a threshold, a loaded mask, a model
output). A label map holds one label per voxel, so segments never overlap: ``add`` and ``copy``
with another segment move that segment's voxels into ``segment`` (unless it is locked), and
``subtract``/``intersect`` are most useful with a mask.

- ``copy``: ``segment`` becomes exactly ``other``.
- ``add``: ``segment`` := ``segment`` OR ``other``.
- ``subtract``: ``segment`` := ``segment`` AND NOT ``other``.
- ``intersect``: ``segment`` := ``segment`` AND ``other``.
- ``clear``: ``segment`` becomes empty (``other`` unused).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..errors import GeometryError, ToolError
from ..labels import Segment
from ..undo import Box, box_slices, union_box
from .base import Tool, mask_box, one_of, segment_box, segment_value

OPERATIONS = ("copy", "add", "subtract", "intersect", "clear")


@dataclass
class LogicalParams:
    segment: Any = None
    operation: str = "add"
    other: Any = None
    """A segment or a boolean array shaped like the image."""


class LogicalTool(Tool):
    name = "logical"
    Params = LogicalParams

    def run(self, p_ras=None) -> Optional[Box]:
        p = self.params
        one_of(p.operation, OPERATIONS, "logical operation")
        labels = self.target.labels
        value = self.unlocked_value(p.segment)
        box = segment_box(labels.array, value)
        other_mask, other_box = None, None
        if p.operation != "clear":
            other_mask, other_box = self._other()
        box = union_box(box, other_box)
        if box is None:
            return None
        sub = box_slices(*box)
        current = labels.array[sub]
        inside = current == value
        other_in = other_mask[sub] if other_mask is not None else None
        if p.operation == "clear":
            result = np.zeros_like(inside)
        elif p.operation == "copy":
            result = other_in
        elif p.operation == "add":
            result = inside | other_in
        elif p.operation == "subtract":
            result = inside & ~other_in
        else:
            result = inside & other_in
        new_region = current.copy()
        new_region[inside & ~result] = 0
        add = result & ~inside & self.allowed_for(current, value)
        new_region[add] = value
        return self.write_region(box[0], new_region)

    def _other(self):
        p = self.params
        labels = self.target.labels
        if p.other is None:
            raise ToolError(f"{p.operation} needs 'other' (a segment or a mask)")
        if isinstance(p.other, (Segment, int, np.integer)):
            mask = labels.array == segment_value(p.other)
        else:
            mask = np.asarray(p.other)
            if mask.shape != labels.shape:
                raise GeometryError(f"mask of shape {mask.shape} does not fit the image grid {labels.shape}")
            mask = mask.astype(bool, copy=False)
        return mask, mask_box(mask)
