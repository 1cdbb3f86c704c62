"""Smoothing (median, opening, closing) and Margin (grow or shrink by millimetres).

Kernels and distances are in world millimetres: the structuring element is the voxels whose
centres lie within a ball in mm (``ellipsoid_kernel``), and margins use the Euclidean distance
transform with the voxel spacing as sampling, so a 2 mm margin is 2 mm along every axis of an
anisotropic grid. The distance transform assumes perpendicular voxel axes: on a sheared
(gantry-tilted) grid the margin pairs voxel centres placed in world space with a k-d tree (scipy)
instead. Everything runs in the segment's bounding box padded by the kernel, never on the whole
volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from .. import geometry
from ..errors import ToolError
from ..undo import Box, box_slices
from .base import Tool, ellipsoid_kernel, one_of, pad_box, segment_box

SMOOTHING_METHODS = ("median", "opening", "closing")


@dataclass
class SmoothingParams:
    segment: Any = None
    method: str = "median"
    """``median`` (removes bumps and fills dents), ``opening`` (removes thin protrusions),
    ``closing`` (fills small holes and gaps)."""
    kernel_mm: float = 3.0
    """Diameter of the ball-shaped kernel in millimetres."""


@dataclass
class MarginParams:
    segment: Any = None
    margin_mm: float = 1.0
    """Positive grows the segment, negative shrinks it."""



def _require_a_voxel(what: str, mm: float, spacing, smallest_mm: float) -> None:
    """A kernel or margin that reaches no neighbouring voxel centre changes nothing: say so
    (Apply used to do nothing, with no word of why, e.g. the default 1 mm margin on 2 mm voxels)."""
    if mm < smallest_mm - 1e-6:
        voxels = " x ".join(f"{s:g}" for s in spacing)
        raise ToolError(f"{what} reaches no neighbouring voxel of this image ({voxels} mm voxels), "
                        f"so it changes nothing: choose at least {smallest_mm:g} mm")


def _within_mm(source: np.ndarray, query: np.ndarray, linear: np.ndarray, mm: float) -> np.ndarray:
    """Which voxels of ``query`` have a voxel of ``source`` (boolean arrays on one box) within
    ``mm`` of them in world space (``linear``: the grid's 3x3 ``ijk_to_ras``)."""
    from scipy.spatial import cKDTree  # (imported when used, as ndimage below: the window's
    # start need not pay for scipy)

    out = np.zeros(query.shape, bool)
    points, asked = np.argwhere(source), np.argwhere(query)
    if len(points) and len(asked):
        distance, _ = cKDTree(geometry.apply_linear(linear, points)).query(
            geometry.apply_linear(linear, asked), distance_upper_bound=mm + 1e-6)
        out[tuple(asked.T)] = np.isfinite(distance)
    return out


def _apply_mask(tool: Tool, box: Box, current: np.ndarray, value: int, result: np.ndarray):
    """Write a new binary shape of segment ``value``: add where allowed, clear what left."""
    inside = current == value
    new_region = current.copy()
    new_region[inside & ~result] = 0
    add = result & ~inside & tool.allowed_for(current, value)
    new_region[add] = value
    return tool.write_region(box[0], new_region)


class SmoothingTool(Tool):
    name = "smoothing"
    Params = SmoothingParams

    def run(self, p_ras=None) -> Optional[Box]:
        from scipy import ndimage

        p = self.params
        one_of(p.method, SMOOTHING_METHODS, "smoothing method")
        if p.kernel_mm <= 0:
            raise ToolError("smoothing kernel must be positive")
        value = self.unlocked_value(p.segment)
        labels = self.target.labels
        box = segment_box(labels.array, value)
        if box is None:
            return None
        _require_a_voxel(f"a {p.kernel_mm:g} mm kernel", p.kernel_mm, labels.spacing,
                         2 * min(labels.spacing))
        kernel = ellipsoid_kernel(p.kernel_mm / 2.0, labels.ijk_to_ras)
        box = pad_box(box, np.asarray(kernel.shape) // 2 + 1, labels.shape)
        current = labels.array[box_slices(*box)]
        inside = current == value
        if p.method == "median":
            result = ndimage.median_filter(inside.view(np.uint8), footprint=kernel, mode="constant") > 0
        elif p.method == "opening":
            result = ndimage.binary_opening(inside, structure=kernel)
        else:
            # Pad so that closing near the box edge does not erode against the border.
            pad = np.asarray(kernel.shape) // 2 + 1
            padded = np.pad(inside, [(n, n) for n in pad])
            closed = ndimage.binary_closing(padded, structure=kernel)
            result = closed[tuple(slice(n, n + s) for n, s in zip(pad, inside.shape))]
        return _apply_mask(self, box, current, value, result)


class MarginTool(Tool):
    name = "margin"
    Params = MarginParams

    def run(self, p_ras=None) -> Optional[Box]:
        from scipy import ndimage

        p = self.params
        value = self.unlocked_value(p.segment)
        labels = self.target.labels
        box = segment_box(labels.array, value)
        if box is None or p.margin_mm == 0:
            return None
        spacing = labels.spacing
        margin = abs(float(p.margin_mm))
        _require_a_voxel(f"a margin of {p.margin_mm:g} mm", margin, spacing, min(spacing))
        if p.margin_mm > 0:
            reach = np.ceil(geometry.ball_reach(labels.ijk_to_ras, margin) - 1e-9).astype(int)
            box = pad_box(box, reach + 1, labels.shape)
        current = labels.array[box_slices(*box)]
        inside = current == value
        linear = np.asarray(labels.ijk_to_ras, float)[:3, :3]
        if p.margin_mm > 0:
            if geometry.perpendicular_axes(linear):
                result = ndimage.distance_transform_edt(~inside, sampling=spacing) <= margin + 1e-6
            else:
                result = inside | _within_mm(inside, ~inside, linear, margin)
        else:
            # Outside the image counts as outside the segment: pad one empty layer.
            padded = np.pad(inside, 1)
            if geometry.perpendicular_axes(linear):
                distance = ndimage.distance_transform_edt(padded, sampling=spacing)[1:-1, 1:-1, 1:-1]
                result = inside & (distance > margin + 1e-6)
            else:
                result = inside & ~_within_mm(~padded, padded, linear, margin)[1:-1, 1:-1, 1:-1]
        return _apply_mask(self, box, current, value, result)
