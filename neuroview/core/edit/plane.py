"""Which voxels a 2D edit (brush, erase, fill) acts on: the ones a slice view's plane passes through.

A view aligned with the voxel grid (a non-oblique volume, or *Acquisition planes*) shows one voxel
slice: the layer of the voxel axis closest to the view's normal under the press point. A resliced
view of an oblique volume cuts across several voxel slices; it draws labels by nearest voxel, so it
shows exactly the voxels whose cell the plane passes through: those whose centre lies within half
the voxel's extent along the normal (the voxel's three edges projected on it) of the plane. 2D
editing acts on those voxels there, as 3D Slicer's paint and fill act in the slice view's plane.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from .. import geometry
from ..errors import ToolError
from ..undo import Box

VIEW_NORMALS = {"axial": (0.0, 0.0, 1.0), "coronal": (0.0, 1.0, 0.0), "sagittal": (1.0, 0.0, 0.0)}


def view_normal(view, ijk_to_ras: np.ndarray) -> np.ndarray:
    """Unit RAS normal of a view: a name, a voxel axis letter, or a vector."""
    if isinstance(view, str):
        key = view.lower()
        if key in VIEW_NORMALS:
            return np.asarray(VIEW_NORMALS[key])
        if key in ("i", "j", "k"):
            column = np.asarray(ijk_to_ras, dtype=float)[:3, "ijk".index(key)]
            return column / np.linalg.norm(column)
        raise ToolError(f"unknown view {view!r}; use axial, coronal, sagittal, i, j, k or a vector")
    normal = np.asarray(view, dtype=float).reshape(3)
    length = np.linalg.norm(normal)
    if length == 0:
        raise ToolError("a view normal cannot be zero")
    return normal / length


def slice_axis(view, ijk_to_ras) -> int:
    """The voxel axis closest to a view's normal (the axis whose index a voxel slice fixes)."""
    normal = view_normal(view, ijk_to_ras)
    linear = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
    columns = linear / np.linalg.norm(linear, axis=0)
    return int(np.argmax(np.abs(columns.T @ normal)))


def grid_aligned(normal, ijk_to_ras) -> bool:
    """Whether a view with this unit RAS normal shows voxel slices: it is perpendicular to two
    voxel axes (a non-oblique grid, or *Acquisition planes*)."""
    linear = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
    step = linear.T @ np.asarray(normal, dtype=float)
    axis = int(np.argmax(np.abs(step)))
    return all(abs(step[a]) <= 1e-6 * np.linalg.norm(linear[:, a]) for a in range(3) if a != axis)


class ViewPlane:
    """The voxels of a 2D edit in the view ``view`` whose plane passes through ``plane_ras``.

    ``layer`` is the voxel slice under the press point when the view is aligned with the grid, or
    when no plane is given (a script naming only a view: the voxel slice closest to it, as before);
    ``None`` for a resliced view. :meth:`box` and :meth:`mask` give the voxels the plane passes
    through.
    """

    def __init__(self, ijk_to_ras, shape, view, p_ras_press, plane_ras=None) -> None:
        ijk_to_ras = np.asarray(ijk_to_ras, dtype=float)
        self.shape = tuple(int(n) for n in shape[:3])
        self.normal = view_normal(view, ijk_to_ras)
        self.axis = slice_axis(self.normal, ijk_to_ras)
        linear = ijk_to_ras[:3, :3]
        # mm along the normal per voxel step on each axis
        self.step = linear.T @ self.normal
        self.layer: Optional[int] = None
        if grid_aligned(self.normal, ijk_to_ras) or plane_ras is None:
            # the slice the views draw through the press point (ties toward +RAS, as they break them)
            ras_to_ijk = np.linalg.inv(ijk_to_ras)
            self.layer = int(geometry.nearest_ijk(ras_to_ijk, p_ras_press)[self.axis])
        point = p_ras_press if plane_ras is None else plane_ras
        self.depth = float(self.normal @ np.asarray(point, dtype=float))
        # signed distance to the plane of voxel ijk: offset + step . ijk
        self.offset = float(self.normal @ ijk_to_ras[:3, 3]) - self.depth
        self.half_depth = 0.5 * float(np.abs(self.step).sum())

    def box(self, lo=(0, 0, 0), hi=None) -> Optional[Box]:
        """The voxel box holding every voxel the plane passes through (``None``: it misses the
        grid), within the box ``lo:hi`` (the whole grid by default): a brush's box on a resliced
        view, as tall along the slice axis as a sphere of its radius, narrowed to the plane."""
        lo, hi = list(lo), list(self.shape if hi is None else hi)
        if self.layer is not None:
            if not lo[self.axis] <= self.layer < hi[self.axis]:
                return None
            lo[self.axis], hi[self.axis] = self.layer, self.layer + 1
            return tuple(lo), tuple(hi)
        others = [a for a in range(3) if a != self.axis]
        corners = np.array([[self.step[others[0]] * u + self.step[others[1]] * v
                             for u in (lo[others[0]], hi[others[0]] - 1)]
                            for v in (lo[others[1]], hi[others[1]] - 1)]).ravel() + self.offset
        bounds = np.concatenate([(-self.half_depth - corners), (self.half_depth - corners)])
        bounds = bounds / self.step[self.axis]
        lo[self.axis] = max(int(np.ceil(bounds.min() - 1e-6)), lo[self.axis])
        hi[self.axis] = min(int(np.floor(bounds.max() + 1e-6)) + 1, hi[self.axis])
        if lo[self.axis] >= hi[self.axis]:
            return None
        return tuple(lo), tuple(hi)

    def _in_slice(self, lo, hi):
        """The two axes across the slice axis, and over them (the box's lines along it) the
        signed distance (mm) to the plane of voxel 0 of the slice axis: voxel ``k`` of a line
        lies at that plus ``step[axis] * k``."""
        others = [a for a in range(3) if a != self.axis]
        grids = np.ogrid[tuple(slice(a, b) for a, b in zip(lo, hi))]
        in_slice = self.offset + self.step[others[0]] * grids[others[0]] + \
            self.step[others[1]] * grids[others[1]]
        return others, np.squeeze(in_slice, axis=self.axis)

    def voxels(self, lo, hi) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The voxels of the box ``lo:hi`` the plane passes through, as indices into the box: the
        voxels ``np.nonzero(self.mask(lo, hi))`` gives (in another order), without the box-sized
        mask. Along the slice axis the plane is one to three voxels thick, so each line of the
        box along it is tested only there: with the mask, a 100 mm brush on a tilted 1 mm grid
        tested its 4M voxels and then looked for the 65k kept, 90 ms of a 175 ms mouse move."""
        if self.layer is not None:
            return np.nonzero(np.ones(tuple(b - a for a, b in zip(lo, hi)), dtype=bool))
        others, in_slice = self._in_slice(lo, hi)
        step, limit = self.step[self.axis], self.half_depth + 1e-6
        ends = np.stack([(-limit - in_slice) / step, (limit - in_slice) / step])
        # a layer more each side than the bounds say: the test below, the mask's own, decides
        first = np.maximum(np.floor(ends.min(axis=0)).astype(np.int64) - 1, lo[self.axis])
        last = np.minimum(np.ceil(ends.max(axis=0)).astype(np.int64) + 1, hi[self.axis] - 1)
        count = np.maximum(last - first + 1, 0).ravel()
        line = np.repeat(np.arange(count.size), count)
        starts = np.cumsum(count) - count   # each line's first candidate, in the flat list
        k = np.repeat(first.ravel(), count) + (np.arange(line.size) - np.repeat(starts, count))
        keep = np.abs(in_slice.ravel()[line] + step * k) <= limit
        u, v = np.unravel_index(line[keep], in_slice.shape)
        index = [None, None, None]
        index[others[0]], index[others[1]], index[self.axis] = u, v, k[keep] - lo[self.axis]
        return tuple(index)

    def mask(self, lo, hi) -> Optional[np.ndarray]:
        """Which voxels of the box ``lo:hi`` the plane passes through (``None``: all of them, the
        box being within the layer of an aligned view). Built one voxel slice at a time, so a
        whole-volume box needs no float array of its size."""
        if self.layer is not None:
            return None
        shape = tuple(b - a for a, b in zip(lo, hi))
        inside = np.empty(shape, dtype=bool)
        _, in_slice = self._in_slice(lo, hi)
        limit = self.half_depth + 1e-6
        for n, k in enumerate(range(lo[self.axis], hi[self.axis])):
            index = [slice(None)] * 3
            index[self.axis] = n
            inside[tuple(index)] = np.abs(in_slice + self.step[self.axis] * k) <= limit
        return inside
