"""Fill between slices in a view oblique to the voxel grid (the resliced view of an oblique series).

2D Paint, Erase and Fill there change the voxels the view's plane passes through (``plane.py``), a
band that crosses several voxel slices, so interpolating between voxel slices (``interpolate.py``)
mixed the bands of different drawn planes. Here the drawn planes are found along the view's normal
instead, as 3D Slicer interpolates between the drawn slices of the view's orientation. A plane
drawn at depth ``D`` changed the voxels whose centre lies within ``h`` of it (``h``: half a voxel's
extent along the normal), so the segment's voxel depths form one band ``2h`` wide per drawn plane:
they are split into runs where no voxel lies over 1.5 times the smallest depth step of a voxel
along the two axes closest to the plane (a brush a few voxels wide leaves no wider gap inside its
band), and runs that fit together within ``2h`` are joined again (one band, cut by a narrow
brush). Each drawn plane's shape is what the view shows there (nearest voxel on a grid in the
plane); between two drawn planes every voxel whose centre lies between them takes the
signed-distance blend of the two shapes at its own depth.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..geometry import apply_linear
from .base import signed_distance


def in_plane_axes(normal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors completing ``normal`` to an orthonormal basis."""
    helper = np.eye(3)[int(np.argmin(np.abs(normal)))]
    u = np.cross(normal, helper)
    u /= np.linalg.norm(u)
    return u, np.cross(normal, u)


def drawn_planes(depths: np.ndarray, gap_mm: float, band_mm: float) -> list[float]:
    """The depth of each drawn plane: the middle of each run of ``depths`` without a gap wider
    than ``gap_mm``, neighbouring runs joined while together they span at most ``band_mm``."""
    ordered = np.unique(depths)
    cuts = np.flatnonzero(np.diff(ordered) > gap_mm)
    runs = [[ordered[s], ordered[e]] for s, e in zip(np.r_[0, cuts + 1], np.r_[cuts, ordered.size - 1])]
    joined = [runs[0]]
    for low, high in runs[1:]:
        if high - joined[-1][0] <= band_mm + 1e-6:
            joined[-1][1] = high
        else:
            joined.append([low, high])
    return [0.5 * (low + high) for low, high in joined]


def fill_between_planes(inside: np.ndarray, lo, ijk_to_ras, normal) -> Optional[np.ndarray]:
    """Voxels of the box ``inside`` (the segment, box-local; ``lo`` its first voxel) to add between
    its drawn planes across ``normal`` (unit RAS); ``None`` with fewer than two drawn planes."""
    from scipy import ndimage  # (imported when used: the window's start need not pay for scipy)

    linear = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
    origin = linear @ np.asarray(lo, dtype=float) + np.asarray(ijk_to_ras, dtype=float)[:3, 3]
    step = linear.T @ normal                       # mm along the normal per voxel step
    dominant = int(np.argmax(np.abs(step)))
    band = float(np.abs(step).sum())               # a drawn plane's band: 2h
    across = np.delete(np.abs(step), dominant)
    gap = 1.5 * max(float(across[across > 1e-6].min(initial=band)), 0.1 * band)
    grids = np.ogrid[tuple(slice(0, n) for n in inside.shape)]
    depth = origin @ normal + sum(s * g for s, g in zip(step, grids))
    planes = drawn_planes(depth[inside], gap, band)
    if len(planes) < 2:
        return None
    u, v = in_plane_axes(normal)
    spacing = float(np.linalg.norm(linear, axis=0).min())
    corners = np.array([[a, b, c] for a in (0, inside.shape[0]) for b in (0, inside.shape[1])
                        for c in (0, inside.shape[2])], float) - 0.5
    corners_ras = corners @ linear.T + origin
    low = np.array([(corners_ras @ u).min(), (corners_ras @ v).min()]) - spacing
    size = np.ceil((np.array([(corners_ras @ u).max(), (corners_ras @ v).max()]) + spacing - low)
                   / spacing).astype(int) + 1
    plane_u, plane_v = np.meshgrid(low[0] + spacing * np.arange(size[0]),
                                   low[1] + spacing * np.arange(size[1]), indexing="ij")
    to_box = np.linalg.inv(linear)
    mask = inside.astype(np.uint8)

    def shape_at(depth_mm: float) -> np.ndarray:
        """The segment as the view shows it on the plane at ``depth_mm`` (nearest voxel)."""
        points = depth_mm * normal + plane_u[..., None] * u + plane_v[..., None] * v
        ijk = apply_linear(to_box, points - origin)
        return ndimage.map_coordinates(mask, np.moveaxis(ijk, -1, 0), order=0, mode="constant",
                                       cval=0, prefilter=False).astype(bool)

    added = np.zeros(inside.shape, bool)
    for near, far in zip(planes[:-1], planes[1:]):
        between = (depth > near) & (depth < far) & ~inside
        where = np.nonzero(between)
        if not where[0].size:
            continue
        points = apply_linear(linear, np.stack(where, axis=-1)) + origin
        at = np.stack([(points @ u - low[0]) / spacing, (points @ v - low[1]) / spacing])
        near_distance = ndimage.map_coordinates(signed_distance(shape_at(near), (spacing, spacing)),
                                                at, order=1, mode="nearest")
        far_distance = ndimage.map_coordinates(signed_distance(shape_at(far), (spacing, spacing)),
                                               at, order=1, mode="nearest")
        w = (depth[where] - near) / (far - near)
        added[where] = (1.0 - w) * near_distance + w * far_distance < 0
    return added
