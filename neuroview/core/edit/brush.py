"""Paint and Erase with a round brush, radius in millimetres, in 2D (one slice) or 3D (a sphere).

Roundness is measured in RAS millimetres through the volume's affine, so the brush stays a sphere
(or a disc) on anisotropic and oblique grids: a voxel is painted when the distance from its centre
to the brush centre, mapped to millimetres, is at most the radius. Between two drag events the
brush sweeps a capsule (every voxel within the radius of the segment between the two points), so a
fast mouse leaves no gaps. Each event touches only the brush's bounding box.

2D mode paints the voxels the view's plane passes through (``plane.ViewPlane``: the voxel slice
under the press point in a view aligned with the grid, the voxels cut by the plane through
``plane_ras`` in a resliced view of an oblique volume), with distances measured in the view's plane
(``view``: ``"axial"``, ``"coronal"``, ``"sagittal"``, ``"i"``, ``"j"``, ``"k"`` or a RAS normal
vector). The plane is fixed at press.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from .. import geometry
from ..errors import ToolError
from ..extent import context_segments
from ..undo import Box
from .base import Tool, clip_box, segment_value
from .capsule import capsule_mask
from .plane import ViewPlane


@dataclass
class BrushParams:
    segment: Any = None
    """Segment (or label value) to paint; for erase, the segment to erase (``None``: any)."""
    radius_mm: float = 5.0
    mode: str = "3d"
    """``"3d"`` (sphere) or ``"2d"`` (disc in the current slice of ``view``)."""
    view: Any = "axial"
    plane_ras: Any = None
    """A RAS point of the view's plane (2D mode; ``None``: the plane through the press point)."""
    intensity_low: Optional[float] = None
    """Paint only where the image is >= this value (``None``: no lower bound)."""
    intensity_high: Optional[float] = None


RUNS_FROM = 24 ** 3
"""A 3D brush's box of more voxels than this is measured run by run (``capsule``): below, the
runs' fixed cost (1-2 ms) is more than measuring every voxel."""


class BrushGeometry:
    """Which voxels a round brush (sphere or in-plane disc) covers, in voxel boxes."""

    def __init__(self, ijk_to_ras: np.ndarray, shape, radius_mm: float, mode: str = "3d",
                 view="axial", p_ras_press=None, plane_ras=None):
        if radius_mm <= 0:
            raise ToolError(f"brush radius must be positive, got {radius_mm} mm")
        if mode not in ("2d", "3d"):
            raise ToolError(f"brush mode must be '2d' or '3d', got {mode!r}")
        self.linear = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
        self.offset = np.asarray(ijk_to_ras, dtype=float)[:3, 3]
        self.inverse = np.linalg.inv(self.linear)
        self.ras_to_ijk = np.linalg.inv(np.asarray(ijk_to_ras, dtype=float))
        self.shape = tuple(int(n) for n in shape)
        self.radius = float(radius_mm)
        self.mode = mode
        # Half-extent in voxels of a sphere of radius r: r * |row of the inverse linear map|.
        self.sphere_half = self.radius * np.linalg.norm(self.inverse, axis=1)
        if mode == "2d":
            self.plane = ViewPlane(ijk_to_ras, shape, view, p_ras_press, plane_ras)
            self.normal = self.plane.normal
            self.axis, self.layer = self.plane.axis, self.plane.layer
            self.project = np.eye(3) - np.outer(self.normal, self.normal)
            others = [a for a in range(3) if a != self.axis]
            m = self.project @ self.linear[:, others]
            # Extent of the in-plane disc along the slice's two voxel axes.
            self.disc_half = np.zeros(3)
            self.disc_half[others] = self.radius * np.sqrt(np.diag(np.linalg.inv(m.T @ m)))
            self._others = others
            self._m = m

    def to_ijk(self, p_ras) -> np.ndarray:
        return geometry.apply_affine(self.ras_to_ijk, np.asarray(p_ras, dtype=float))

    def _center_box(self, p_ras):
        c = self.to_ijk(p_ras)
        if self.mode == "3d":
            return c - self.sphere_half, c + self.sphere_half
        if self.layer is None:  # resliced: the disc lies in the plane, the voxels it cuts near it
            p_ras = np.asarray(p_ras, dtype=float)
            on_plane = self.to_ijk(p_ras - self.normal * (self.normal @ p_ras - self.plane.depth))
            reach = np.hypot(self.radius, self.plane.half_depth) / self.radius
            return on_plane - reach * self.sphere_half, on_plane + reach * self.sphere_half
        # Centre of the disc on the layer: the layer point whose in-plane projection is p.
        e = self.linear[:, self.axis] * (self.layer - c[self.axis])
        uv = np.linalg.lstsq(self._m, -self.project @ e, rcond=None)[0]
        centre = c.copy()
        centre[self.axis] = self.layer
        centre[self._others] += uv
        return centre - self.disc_half, centre + self.disc_half

    def box(self, a_ras, b_ras) -> Optional[Box]:
        lo_a, hi_a = self._center_box(a_ras)
        lo_b, hi_b = self._center_box(b_ras)
        lo = np.floor(np.minimum(lo_a, lo_b) - 1e-6).astype(int)
        hi = np.floor(np.maximum(hi_a, hi_b) + 1e-6).astype(int) + 1
        held = geometry.nearest_ijk(self.ras_to_ijk, np.stack([a_ras, b_ras]).astype(float))
        lo, hi = np.minimum(lo, held.min(axis=0)), np.maximum(hi, held.max(axis=0) + 1)   # _pointed
        if self.mode == "2d" and self.layer is not None:
            lo[self.axis], hi[self.axis] = self.layer, self.layer + 1
        return clip_box(lo, hi, self.shape)

    def capsule(self, a_ras, b_ras) -> tuple[Optional[Box], Optional[np.ndarray]]:
        """Box and mask of voxels within the radius of the segment from ``a`` to ``b`` (RAS)."""
        box = self.box(a_ras, b_ras)
        if box is not None and self.mode == "2d" and self.layer is None:
            box = self.plane.box(*box)   # the box's voxel slices the plane passes through
        if box is None:
            return None, None
        lo, hi = box
        shape = tuple(b - a for a, b in zip(lo, hi))
        a = np.asarray(a_ras, dtype=float)
        b = np.asarray(b_ras, dtype=float)
        pointed = self._pointed(box, a, b)
        if self.mode == "2d" and self.layer is None:
            # resliced: distances for the voxels the plane cuts only (a 50 mm brush's box on a
            # tilted 1 mm grid holds about 25 times as many; 139 ms a mouse move, session 40)
            where = self.plane.voxels(lo, hi)
            mask = np.zeros(shape, dtype=bool)
            mask[where] = self._within(tuple(w + n for w, n in zip(where, lo)), a, b) | pointed[where]
            return box, mask
        if self.mode == "3d" and np.prod(shape) > RUNS_FROM:
            # run by run along the box's lines, measuring only the voxels near a run's end (a
            # 100 mm brush measured every voxel of its box, 10 million on 256x256x160: 0.6 s a
            # mouse move)
            mask = capsule_mask(self.linear, self.offset, lo, hi, a, b, self.radius,
                                lambda grids: self._within(grids, a, b))
            return box, mask | pointed
        grids = np.ogrid[tuple(slice(n, m) for n, m in zip(lo, hi))]
        mask = np.broadcast_to(self._within(grids, a, b), shape) | pointed
        return box, np.ascontiguousarray(mask)

    def _within(self, grids, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether each voxel (``grids``: its indices, broadcastable arrays or equal-length
        vectors) lies within the radius of the segment from ``a`` to ``b`` (RAS), in the view's
        plane in 2D."""
        # RAS offset of every voxel centre from a, as 3 broadcastable arrays (no full copies).
        origin = self.offset - a
        d = [origin[r] + sum(self.linear[r, c] * grids[c] for c in range(3)) for r in range(3)]
        seg = b - a
        if self.mode == "3d":
            dist2 = segment_distance2(d, seg)
        else:
            flat = [sum(self.project[r, c] * d[c] for c in range(3)) for r in range(3)]
            dist2 = segment_distance2(flat, self.project @ seg)
        if self.mode == "2d" and self.layer is None:
            # A resliced plane cuts voxels stacked along the slice axis whose centres project
            # within a fraction of a millimetre of each other. Those stacked on the pointed
            # voxels count by their true distance: a brush smaller than a voxel paints only the
            # voxel under the pointer, a larger one its stacked neighbours drawn beside it too.
            stacked = self._stacked(grids, a, b)
            if stacked.any():
                dist2 = np.where(stacked, segment_distance2(d, seg), dist2)
        return dist2 <= self.radius ** 2 + 1e-9

    def _pointed(self, box: Box, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The voxels of ``box`` holding a point of the segment from ``a`` to ``b`` (RAS): a
        brush smaller than a voxel paints at least these, as Slicer's paint does (on 2 mm
        voxels a 1 mm brush 0.9 mm off a centre painted nothing). 2D on a voxel slice: the
        points taken to the painted slice along the slice axis."""
        lo, hi = box
        step = 0.5 * float(np.min(np.linalg.norm(self.linear, axis=0)))
        n = int(np.ceil(np.linalg.norm(b - a) / step)) + 1
        points = a + np.linspace(0.0, 1.0, n)[:, None] * (b - a)
        ijk = geometry.nearest_ijk(self.ras_to_ijk, points)
        if self.mode == "2d" and self.layer is not None:
            ijk[:, self.axis] = self.layer
        ijk = ijk[np.all((ijk >= lo) & (ijk < hi), axis=1)] - lo
        pointed = np.zeros(tuple(b - a for a, b in zip(lo, hi)), dtype=bool)
        pointed[tuple(ijk.T)] = True
        return pointed

    def _stacked(self, grids, *points_ras) -> np.ndarray:
        """Voxels of the box (``grids``) stacked along the slice axis on a point's voxel, not it."""
        stacked = False
        first, second = self._others
        for ijk in geometry.nearest_ijk(self.ras_to_ijk, np.stack(points_ras)):
            stacked = stacked | ((grids[first] == ijk[first]) & (grids[second] == ijk[second])
                                 & (grids[self.axis] != ijk[self.axis]))
        return np.broadcast_to(stacked, np.broadcast_shapes(*(g.shape for g in grids)))


def segment_distance2(d, seg) -> np.ndarray:
    """Squared distance to the segment from 0 to ``seg`` of points given by their offsets ``d``
    from its start (3 broadcastable arrays)."""
    length2 = float(seg @ seg)
    if length2 <= 1e-12:
        return sum(d[r] ** 2 for r in range(3))
    t = np.clip(sum(d[r] * seg[r] for r in range(3)) / length2, 0.0, 1.0)
    return sum((d[r] - t * seg[r]) ** 2 for r in range(3))


class PaintTool(Tool):
    """Paint ``segment`` with a round brush; drag to extend the stroke."""

    name = "paint"
    Params = BrushParams
    interactive = True
    needs_point = True
    erase = False

    def press(self, p_ras=None) -> Optional[Box]:
        if p_ras is None:
            raise ToolError(f"{self.name} needs a point (at_ras)")
        p = self.params
        if self.erase:
            self.value = 0 if p.segment is None else segment_value(p.segment)
        else:
            self.value = self.unlocked_value(p.segment)
            if self.value <= 0:
                raise ToolError("paint needs a segment with a label value of 1 or more")
        self.geometry = BrushGeometry(self.target.labels.ijk_to_ras, self.target.shape, p.radius_mm,
                                      p.mode, p.view, p_ras, p.plane_ras)
        self.left_alone: set[int] = set()
        self.masked_out = False   # the intensity range left out voxels under the brush
        self._last = np.asarray(p_ras, dtype=float)
        return self._stamp(self._last, self._last)

    def run(self, p_ras) -> Optional[Box]:
        p_ras = np.asarray(p_ras, dtype=float)
        box = self._stamp(self._last, p_ras)
        self._last = p_ras
        return box

    def _stamp(self, a_ras, b_ras) -> Optional[Box]:
        box, mask = self.geometry.capsule(a_ras, b_ras)
        if box is None:
            return None
        lo, hi = box
        ok = self.intensity_ok(lo, mask.shape, self.params.intensity_low, self.params.intensity_high)
        if ok is not None:
            self.masked_out = self.masked_out or bool((mask & ~ok).any())
            mask = mask & ok
        if not self.erase:
            return self.write_mask(lo, mask, self.value)
        if self.value > 0:
            box = self.write_mask(lo, mask, 0, only_value=self.value)
        else:
            box = self._erase_any(lo, mask)
        if box is None:  # the window explains only a stroke that changed nothing
            self._note_left_alone(lo, mask)
        return box

    def _note_left_alone(self, lo, mask) -> None:
        """Erase: remember the labels still under the brush (another segment than the one erased,
        a locked or hidden one), so the window can say why a stroke changed nothing."""
        region = self.target.labels.array[tuple(slice(a, a + n) for a, n in zip(lo, mask.shape))]
        under = region[mask]
        under = under[under != 0]
        if under.size:
            self.left_alone.update(int(v) for v in np.unique(under))

    def _erase_any(self, lo, mask) -> Optional[Box]:
        # Erasing "any segment" honours locks, and hidden segments under the "visible" policy;
        # it erases what lies over a context segment (a model's brain), not the brain itself
        policy = "visible" if self.target.policy == "visible" else "all"
        context = frozenset(s.value for s in context_segments(self.target.labels.segments))
        return self.write_mask(lo, mask, 0, policy=policy, spare=context)


class EraseTool(PaintTool):
    """Erase ``segment`` (or every unlocked segment when ``segment`` is ``None``)."""

    name = "erase"
    erase = True
