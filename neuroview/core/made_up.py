"""Where a series' made-up slices (``Volume.made_up_slices``: slices a resampled series made up
between its acquired ones) lie on a plane or a grid that is not exactly along them: a series
registered onto another (*Compare series side by side*: turned a fraction of a degree) or
resampled onto another's grid (the follow-up's later study on the baseline grid). A point shows a
made-up slice where its nearest slice of the series is one; a plane or a slice of the other grid
shows one where most of its points inside the series do. Until session 46 only a plane exactly
along the slices was marked: a registered series never, a resampled one lost the record."""

from __future__ import annotations

import numpy as np

NEAR_DEGREES = 10.0
"""A plane turned at most this far from a series' slices is looked at point by point (a
registration turns a series by a few degrees); one turned further cuts across them."""
POINTS = 16
"""Points per side of the lattice looked at on a plane or a slice."""


def mostly_made_up(volume, points_ras: np.ndarray, half: float | None = None) -> bool:
    """Whether most of ``points_ras`` (``(n, 3)``) that lie inside ``volume`` show one of its made-up
    slices: their nearest slice is one, or with ``half`` (slices) a made-up slice's centre lies
    within ``half`` of them along the slices (a thick slab takes it in)."""
    ijk = volume.ras_to_ijk_points(np.asarray(points_ras, float).reshape(-1, 3))
    inside = np.all((ijk > -0.5) & (ijk < np.asarray(volume.shape) - 0.5), axis=1)
    if not inside.any():
        return False
    k, made = ijk[inside, 2][:, None], np.asarray(volume.made_up_slices, float)[None, :]
    shows = (np.abs(k - made) <= half + 1e-6) if half is not None else (np.rint(k) == made)
    return bool(2 * np.count_nonzero(shows.any(axis=1)) >= k.shape[0])


def near_slices(volume, normal) -> bool:
    """Whether a plane across unit ``normal`` lies within :data:`NEAR_DEGREES` of the slices."""
    columns = volume.ijk_to_ras[:3, :3]
    across = np.cross(columns[:, 0], columns[:, 1])
    cosine = abs(float(np.asarray(normal, float) @ across)) / np.linalg.norm(across)
    return cosine >= np.cos(np.radians(NEAR_DEGREES))


def plane_points(volume, p_ras, normal) -> np.ndarray:
    """A :data:`POINTS` x :data:`POINTS` lattice on the plane through ``p_ras`` across unit
    ``normal``, spanning the volume's diagonal each way (the points outside it are left out by
    :func:`mostly_made_up`)."""
    normal = np.asarray(normal, float)
    u = np.cross(normal, [1.0, 0.0, 0.0] if abs(normal[0]) < 0.9 else [0.0, 1.0, 0.0])
    u /= np.linalg.norm(u)
    v = np.cross(normal, u)
    reach = np.linalg.norm(volume.ijk_to_ras[:3, :3] @ np.asarray(volume.shape, float)) / 2
    steps = np.linspace(-reach, reach, POINTS)
    a, b = np.meshgrid(steps, steps, indexing="ij")
    return np.asarray(p_ras, float) + a.reshape(-1, 1) * u + b.reshape(-1, 1) * v


def made_up_on_grid(volume, shape, ijk_to_ras, grid_to_volume=None) -> tuple[int, ...]:
    """The slices ``k`` of the grid (``shape``, ``ijk_to_ras``) that show a made-up slice of
    ``volume`` resampled onto it (``grid_to_volume``: the grid's RAS to the volume's, as a
    registration's ``fixed_to_moving``; identity when ``None``): most of their lattice points
    inside ``volume`` have a made-up slice nearest."""
    if not volume.made_up_slices:
        return ()
    lattice = [np.linspace(0, n - 1, min(n, POINTS)) for n in shape[:2]]
    i, j = (axis.reshape(-1) for axis in np.meshgrid(*lattice, indexing="ij"))
    moved = np.asarray(ijk_to_ras, float) if grid_to_volume is None \
        else np.asarray(grid_to_volume, float) @ np.asarray(ijk_to_ras, float)
    out = []
    for k in range(shape[2]):
        ijk = np.stack([i, j, np.full_like(i, k), np.ones_like(i)])
        if mostly_made_up(volume, (moved @ ijk)[:3].T):
            out.append(k)
    return tuple(out)
