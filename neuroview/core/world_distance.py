"""World distances (mm) between the voxel centres of a grid whose axes need not be perpendicular.

scipy's Euclidean distance transform weighs each axis by its voxel size: exact when the voxel axes
are perpendicular (any rotation), wrong on a sheared grid (a gantry-tilted CT), where a voxel's
nearest neighbours in world space are not those in index space. :class:`WorldDistance` (and
:func:`distance_to`) keeps the distance transform for perpendicular axes and, on a sheared grid,
asks a k-d tree (scipy) of the target's *border* voxels for the exact nearest one. (A distance
transform on a grid resampled without shear would measure between that grid's voxel centres, not
the image's, and cost two resamplings; the tree is exact, and on a lesion-sized window about as
fast as the transform.)

Why the border is enough: let ``t`` be the target voxel nearest to a voxel ``p`` off the target.
``p`` lies outside ``t``'s Voronoi cell (``p``'s own cell holds it), and that cell is bounded by the
planes halfway to ``t + v`` for the lattice's Voronoi-relevant vectors ``v``
(:func:`relevant_offsets`), so some ``t + v`` is nearer to ``p`` than ``t``: it is not a target
voxel. Only target voxels with a non-target voxel at a relevant offset can be nearest; they are a
thin shell, however large the target.
"""

from __future__ import annotations

from itertools import permutations
from typing import Optional

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from .geometry import apply_linear, ball_reach, perpendicular_axes, spacing_from_affine

LEAF_SIZE = 64
"""Points per leaf of the border's k-d tree, compared in one pass (scipy's default is 16): a
voxel deep in a mask is far from the whole border, and a shell's border is dense. 3x faster than
16 on the depths of a 64^3 window's lesion, 1.4x on a 6 mm margin around a brain."""


def relevant_offsets(ijk_to_ras: np.ndarray) -> np.ndarray:
    """Index offsets ``(n, 3)`` that hold the Voronoi-relevant vectors of the grid's lattice of
    voxel centres (``ijk_to_ras``, 4x4 or its 3x3 part): 14 at most, and the vectors tied with
    them, kept to be safe (a perpendicular grid's 6 axis steps and its 20 diagonals, tied; a
    steep tilt's relevant vectors lie beyond the 26 neighbours).

    A relevant vector ``v`` is at most twice the covering radius long, which Babai's bound puts
    under the root of the sum of the squared Gram-Schmidt lengths of the columns (in the best of
    their orders); ``v`` is relevant when no other lattice vector ``u`` has ``u.v >= |u|^2``."""
    linear = np.asarray(ijk_to_ras, float)[:3, :3]
    bound = min(float(np.linalg.norm(np.diag(np.linalg.qr(linear[:, list(order)])[1])))
                for order in permutations(range(3)))
    half = np.ceil(ball_reach(linear, bound) + 1e-9).astype(int)
    grid = np.stack(np.meshgrid(*(np.arange(-h, h + 1) for h in half), indexing="ij"), -1)
    offsets = grid.reshape(-1, 3)
    world = offsets @ linear.T
    length2 = np.einsum("ij,ij->i", world, world)
    keep = (length2 > 0) & (length2 <= bound * bound * (1 + 1e-9))
    offsets, world, length2 = offsets[keep], world[keep], length2[keep]
    dots = world @ world.T                                   # dots[u, v] = u.v
    beaten = dots > length2[:, None] * (1 + 1e-9) + 1e-12    # u.v > |u|^2: v is not relevant
    np.fill_diagonal(beaten, False)
    return offsets[~beaten.any(axis=0)]


def _shifted(array: np.ndarray, offset, fill: bool) -> np.ndarray:
    """``out[x] = array[x + offset]``, ``fill`` where ``x + offset`` lies off the array."""
    out = np.full(array.shape, fill, bool)
    src, dst = [], []
    for o, n in zip(offset, array.shape):
        o = int(o)
        src.append(slice(max(o, 0), n + min(o, 0)))
        dst.append(slice(max(-o, 0), n - max(o, 0)))
    out[tuple(dst)] = array[tuple(src)]
    return out


class WorldDistance:
    """World distance (mm) from voxel centres of an array to the nearest centre of a ``target``
    voxel: 0 on the target, ``inf`` where there is none. With ``beyond``, the voxels past the
    array's faces count as target (a mask's depth: its distance to the outside, which goes on past
    the box). :meth:`map` gives every voxel's, :meth:`at` some voxels' only.

    Perpendicular axes: scipy's distance transform with the voxel sizes (made once, on first
    use). Otherwise exact, from a k-d tree of the target's border (see the module's docstring),
    asked only about the voxels wanted."""

    def __init__(self, target: np.ndarray, ijk_to_ras: np.ndarray, beyond: bool = False):
        self.target = np.asarray(target, bool)
        self.linear = np.asarray(ijk_to_ras, float)[:3, :3]
        self.beyond = beyond
        self._map: Optional[np.ndarray] = None
        self.sheared = not perpendicular_axes(self.linear)
        if self.sheared:
            offsets = relevant_offsets(self.linear)
            self.pad = np.abs(offsets).max(axis=0) if beyond else np.zeros(3, int)
            grown = (np.pad(self.target, [(p, p) for p in self.pad], constant_values=True)
                     if beyond else self.target)
            border = np.zeros(grown.shape, bool)
            for offset in offsets:
                border |= ~_shifted(grown, offset, fill=beyond)
            self.border = apply_linear(self.linear, np.argwhere(border & grown))

    def map(self, limit: float = np.inf) -> np.ndarray:
        """Every voxel's distance; those over ``limit`` may be given as ``inf``. A sheared grid's
        k-d tree is asked only about the voxels within ``limit``'s reach
        (:func:`~neuroview.core.geometry.ball_reach`) of the target along each axis."""
        if not self.sheared:
            return self._transform()
        target = self.target
        asked = ~target
        if np.isfinite(limit) and target.any():
            size = 2 * np.floor(ball_reach(self.linear, limit) + 1e-9).astype(int) + 1
            asked &= ndimage.maximum_filter(target, size=tuple(size), mode="constant")
        out = np.where(target, 0.0, np.inf)
        where = np.argwhere(asked)
        out[tuple(where.T)] = self._query(where, limit)
        return out

    def at(self, voxels: np.ndarray) -> np.ndarray:
        """The distances of ``voxels`` (integer indices ``(n, 3)`` on the array)."""
        voxels = np.asarray(voxels, int).reshape(-1, 3)
        if not self.sheared:
            return self._transform()[tuple(voxels.T)]
        on = self.target[tuple(voxels.T)]
        out = np.where(on, 0.0, np.inf)
        out[~on] = self._query(voxels[~on], np.inf)
        return out

    def _query(self, voxels: np.ndarray, limit: float) -> np.ndarray:
        if not len(self.border) or not len(voxels):
            return np.full(len(voxels), np.inf)
        tree = cKDTree(self.border, leafsize=LEAF_SIZE)
        distance, _ = tree.query(apply_linear(self.linear, voxels + self.pad),
                                 distance_upper_bound=limit * (1 + 1e-9) + 1e-9)
        return distance

    def _transform(self) -> np.ndarray:
        """Perpendicular axes: scipy's distance transform, made once."""
        if self._map is None:
            target, sizes = self.target, spacing_from_affine(self.linear)
            if self.beyond:
                inner = tuple(slice(1, -1) for _ in range(3))
                self._map = ndimage.distance_transform_edt(np.pad(~target, 1), sampling=sizes)[inner]
            elif not target.any():
                self._map = np.full(target.shape, np.inf)
            else:
                self._map = ndimage.distance_transform_edt(~target, sampling=sizes)
        return self._map


def distance_to(target: np.ndarray, ijk_to_ras: np.ndarray, limit: float = np.inf,
                beyond: bool = False) -> np.ndarray:
    """:meth:`WorldDistance.map`: every voxel's world distance to the nearest ``target`` voxel."""
    return WorldDistance(target, ijk_to_ras, beyond).map(limit)


BALL_MAX_COLUMNS = 256
""":func:`within_mm` dilates by a ball of at most this many columns (the ball's offsets along the
two coarser axes); a wider ball (a 10 mm margin on 1 mm voxels: 317) goes to the distance transform."""


def within_mm(target: np.ndarray, ijk_to_ras: np.ndarray, margins) -> list[np.ndarray]:
    """For each margin (mm): the voxels whose centres lie within it of a ``target`` voxel's centre,
    ``distance_to(target, ijk_to_ras) <= mm + 1e-6``. On perpendicular axes a dilation by the ball
    of those offsets (:func:`_ball_dilation`, the same voxels as scipy's distance transform, 4-8x
    faster: 0.12 s against 0.8 s for a 1 mm brain at 3 mm); otherwise the distance itself."""
    target = np.asarray(target, bool)
    margins = [float(mm) for mm in margins]
    sizes = spacing_from_affine(np.asarray(ijk_to_ras, float)[:3, :3])
    if perpendicular_axes(np.asarray(ijk_to_ras, float)) and target.any():
        grown = [_ball_dilation(target, sizes, mm) for mm in margins]
        if all(g is not None for g in grown):
            return grown
    distance = distance_to(target, ijk_to_ras, limit=max(margins, default=0.0))
    return [distance <= mm + 1e-6 for mm in margins]


def _ball_dilation(target: np.ndarray, sizes, mm: float) -> Optional[np.ndarray]:
    """``target`` dilated by every voxel offset ``d`` with ``sqrt(sum((d * sizes)^2)) <= mm + 1e-6``,
    in float64 and in the axes' order, as ``ndimage.distance_transform_edt(~target, sampling=sizes)``
    computes a distance. The ball is a union of columns along its finest axis: each column one
    maximum filter (shared by columns of one length) shifted along the other two axes. None when
    the ball has more than :data:`BALL_MAX_COLUMNS` columns."""
    sizes = np.asarray(sizes, np.float64)
    axis = int(np.argmin(sizes))
    others = [a for a in range(3) if a != axis]
    reach = [int(np.floor(mm / s + 1e-9)) + 1 for s in sizes]
    columns = []
    for first in range(-reach[others[0]], reach[others[0]] + 1):
        for second in range(-reach[others[1]], reach[others[1]] + 1):
            offset = np.zeros(3, np.int64)
            offset[others] = (first, second)
            half = -1
            for step in range(reach[axis] + 1):
                offset[axis] = step
                world = offset.astype(np.float64) * sizes
                world *= world
                if np.sqrt(np.add.reduce(world)) <= mm + 1e-6:
                    half = step
            if half >= 0:
                columns.append((first, second, half))
    if len(columns) > BALL_MAX_COLUMNS:
        return None
    out = target.copy()
    filtered = {0: target}
    shape = target.shape
    for first, second, half in columns:
        if half not in filtered:
            filtered[half] = ndimage.maximum_filter1d(target.view(np.uint8), 2 * half + 1, axis=axis,
                                                      mode="constant").view(bool)
        src, dst = [slice(None)] * 3, [slice(None)] * 3
        for a, d in zip(others, (first, second)):
            src[a] = slice(max(-d, 0), shape[a] - max(d, 0))
            dst[a] = slice(max(d, 0), shape[a] - max(-d, 0))
        out[tuple(dst)] |= filtered[half][tuple(src)]
    return out
