"""What the 3D view's camera frames: the sphere round what the image holds (a head), not round its
grid. A 1 mm MNI head (197x233x189 mm grid, 360 mm across its corners) was framed by the sphere of
its grid's corners, and its 140 mm skull filled a quarter of the view's width; the sphere round its
non-background voxels is 1.6 times smaller (``tests/render/test_volume3d_framing.py``), as 3D
Slicer's *Reset field of view* fits the rendered volume's content rather than its grid."""

from __future__ import annotations

import numpy as np

FRAMING_DIM = 64
"""The sphere is found on every n-th voxel of the image, at most this many per axis: a few
milliseconds."""


def content_sphere(array: np.ndarray, ijk_to_ras: np.ndarray, air: float):
    """``(centre_ras, radius_mm)`` of the sphere round the voxels of ``array`` above ``air``
    (the centre: the middle of their box; each voxel counted whole, its corners in), or ``None``
    when none is left (a uniform image: the caller frames the whole grid). Voxels above it alone
    or in threads a voxel thick (an opening by a voxel's six neighbours) are left out: the air's
    noise reaches above the triangle cut in 0.3 % of its voxels (:mod:`.plane_air`), all over
    the grid."""
    inside = np.asarray(array) > air
    solid = _grown(_shrunk(inside))   # lone voxels and threads left out: the air's noise
    ijk = np.argwhere(solid)
    if not len(ijk):   # a few specks (a test pattern, a lone marker): the whole grid is framed
        return None
    ras = ijk @ ijk_to_ras[:3, :3].T + ijk_to_ras[:3, 3]
    centre = (ras.min(axis=0) + ras.max(axis=0)) / 2
    corners = np.array([(a, b, c) for a in (-0.5, 0.5) for b in (-0.5, 0.5) for c in (-0.5, 0.5)])
    half_voxel = float(np.linalg.norm(corners @ ijk_to_ras[:3, :3].T, axis=1).max())
    radius = float(np.sqrt(((ras - centre) ** 2).sum(axis=1).max())) + half_voxel
    return centre, radius


def _shifted_pairs(mask: np.ndarray):
    """``(part, its neighbour)`` views of ``mask`` one voxel apart along each axis, both ways."""
    for axis in range(3):
        ahead = [slice(None)] * 3
        behind = [slice(None)] * 3
        ahead[axis], behind[axis] = slice(1, None), slice(None, -1)
        yield tuple(ahead), tuple(behind)
        yield tuple(behind), tuple(ahead)


def _shrunk(mask: np.ndarray) -> np.ndarray:
    """The voxels of ``mask`` whose six face neighbours are in it too (a binary erosion; numpy
    alone: importing ``scipy.ndimage`` held the 3D view's first look 0.4 s)."""
    out = mask.copy()
    for part, neighbour in _shifted_pairs(mask):
        out[part] &= mask[neighbour]
    return out


def _grown(mask: np.ndarray) -> np.ndarray:
    """``mask`` and the six face neighbours of its voxels (a binary dilation)."""
    out = mask.copy()
    for part, neighbour in _shifted_pairs(mask):
        out[part] |= mask[neighbour]
    return out
