"""Which voxels of a box lie within a 3D brush's capsule, measured line by line.

A capsule (the voxels within ``radius`` mm of the segment from ``a`` to ``b``) is convex, so each
line of voxels along the box's last axis crosses it in one run. The run's ends are found from the
line's equation (the union of two spheres and a cylinder cut to the segment), once per line; only
the few voxels near an end are measured by the brush's own distance, so a voxel counts exactly as
the whole-box measure counts it. A 100 mm brush on a 256x256x160 grid measured 10 million voxels
a mouse move; now about 2 per line, the rest filled as runs.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

SURE = 1e-6
"""Squared radius tolerance (relative, mm^2) that keeps measured-in and measured-out voxels apart
from the float rounding of either computation; the run's ends are padded by ``PAD`` voxels too."""
PAD = 0.01


def _roots(qa, qb, qc):
    """Real interval where ``qa k^2 + 2 qb k + qc <= 0`` (``qa >= 0``), as (lo, hi) arrays; an
    empty interval is lo > hi. ``qa == 0`` (the line parallel to a cylinder): everything or
    nothing, as ``qc <= 0``."""
    disc = qb * qb - qa * qc
    ok = disc >= 0
    root = np.sqrt(np.where(ok, disc, 0.0))
    # the numerically stable pair: q / qa and qc / q
    q = -(qb + np.where(qb >= 0, root, -root))
    with np.errstate(divide="ignore", invalid="ignore"):
        r1 = np.where(qa > 0, q / np.where(qa > 0, qa, 1.0), np.inf)
        r2 = np.where(q != 0, qc / np.where(q != 0, q, 1.0), r1)
    lo, hi = np.minimum(r1, r2), np.maximum(r1, r2)
    flat = qa <= 0
    lo = np.where(flat, np.where(qc <= 0, -np.inf, np.inf), lo)
    hi = np.where(flat, np.where(qc <= 0, np.inf, -np.inf), hi)
    empty = ~ok & ~flat
    return np.where(empty, np.inf, lo), np.where(empty, -np.inf, hi)


def _run(linear, offset, lo, hi, a, b, radius2):
    """Per line (i, j) of the box, the real k interval of the capsule of squared radius
    ``radius2`` (k in grid indices)."""
    gi = np.arange(lo[0], hi[0], dtype=float)[:, None]
    gj = np.arange(lo[1], hi[1], dtype=float)[None, :]
    u = linear[:, 2]
    start = [offset[r] + linear[r, 0] * gi + linear[r, 1] * gj for r in range(3)]   # RAS at k = 0
    uu = float(u @ u)

    def sphere(centre):
        p = [start[r] - centre[r] for r in range(3)]
        return _roots(np.full(p[0].shape, uu), sum(p[r] * u[r] for r in range(3)),
                      sum(p[r] ** 2 for r in range(3)) - radius2)

    run_lo, run_hi = sphere(a)
    seg = b - a
    length = float(np.linalg.norm(seg))
    if length > 0:
        lo_b, hi_b = sphere(b)
        run_lo, run_hi = np.minimum(run_lo, lo_b), np.maximum(run_hi, hi_b)
        w = seg / length
        q = [start[r] - a[r] for r in range(3)]
        along = sum(q[r] * w[r] for r in range(3))
        perp = [q[r] - along * w[r] for r in range(3)]
        uw = float(u @ w)
        up = u - uw * w
        c_lo, c_hi = _roots(np.full(along.shape, float(up @ up)), sum(perp[r] * up[r] for r in range(3)),
                            sum(perp[r] ** 2 for r in range(3)) - radius2)
        if abs(uw) > 0:   # the cylinder cut to the segment: 0 <= along + k uw <= length
            s1, s2 = -along / uw, (length - along) / uw
            c_lo, c_hi = np.maximum(c_lo, np.minimum(s1, s2)), np.minimum(c_hi, np.maximum(s1, s2))
        else:
            within = (along >= 0) & (along <= length)
            c_lo, c_hi = np.where(within, c_lo, np.inf), np.where(within, c_hi, -np.inf)
        cut = c_lo > c_hi   # the line meets the cylinder beyond the segment's ends
        run_lo = np.minimum(run_lo, np.where(cut, np.inf, c_lo))
        run_hi = np.maximum(run_hi, np.where(cut, -np.inf, c_hi))
    return run_lo, run_hi


def capsule_mask(linear: np.ndarray, offset: np.ndarray, lo, hi, a: np.ndarray, b: np.ndarray,
                 radius: float, within: Callable) -> np.ndarray:
    """Boolean mask of the box ``lo:hi`` (voxel indices) of the voxels ``within`` counts in the
    capsule of ``radius`` mm about the segment ``a``-``b`` (RAS; ``linear``, ``offset``: the grid's
    affine). ``within(grids)`` is the exact measure, called on index vectors of the voxels near a
    run's end only."""
    margin = SURE * (radius * radius + 1.0)
    sure_lo, sure_hi = _run(linear, offset, lo, hi, a, b, radius * radius - margin)
    maybe_lo, maybe_hi = _run(linear, offset, lo, hi, a, b, radius * radius + margin)
    k0, k1 = lo[2], hi[2] - 1

    def index(x, up):   # run ends to voxel k, clipped to the box (an infinite end too)
        x = np.clip(np.ceil(x), k0, k1 + 1) if up else np.clip(np.floor(x), k0 - 1, k1)
        return x.astype(np.int64)

    # voxels certainly in: k within the run of the shrunk radius; possibly: of the grown radius
    in_lo, in_hi = index(sure_lo + PAD, True), index(sure_hi - PAD, False)
    out_lo, out_hi = index(maybe_lo - PAD, True), index(maybe_hi + PAD, False)
    empty = in_lo > in_hi
    in_lo, in_hi = np.where(empty, out_hi + 1, in_lo), np.where(empty, out_hi, in_hi)
    ks = np.arange(k0, k1 + 1)
    mask = ks >= in_lo[:, :, None]
    mask &= ks <= in_hi[:, :, None]
    # measured: from the grown run's start to the sure run's, and from the sure run's end to the
    # grown run's (the whole grown run where nothing is sure)
    for start, stop in ((out_lo, in_lo), (in_hi + 1, out_hi + 1)):
        count = np.clip(stop - start, 0, None).ravel()
        if not count.any():
            continue
        line = np.repeat(np.arange(count.size), count)
        k = start.ravel()[line] + np.arange(line.size) - np.repeat(np.cumsum(count) - count, count)
        i, j = np.unravel_index(line, start.shape)
        hit = within((i + lo[0], j + lo[1], k))
        mask[i[hit], j[hit], k[hit] - k0] = True
    return mask
