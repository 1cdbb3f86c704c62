"""Inference-side changes to an exclude click's answer only (issue #13, session 46: the second
click loses 0.080 Dice as an exclude, 0.110 on 5-10 mm lesions), for ``bench/click_inference.py``.

Each takes the object's mask before the click (``before``), the engine's answer to it
(``answer``), both on the answer's box, and gives the mask kept instead:

- ``exradK``: the answer only within ``K`` times the object's radius (the radius of a ball of its
  volume) around the exclude click, the mask before it elsewhere; ``exradsK`` the same on objects
  under 12 mm across only (the others keep the engine's answer);
- ``excomp``: the mask before it less only the connected part of what the answer removes that
  holds the exclude click (or lies nearest it), plus a 2 mm margin of what it removes around
  that part; what the answer adds is dropped;
- ``exvor``: the answer, plus the voxels of the mask before it nearer an include click than an
  exclude one (the include clicks' side of the object is kept);
- ``exhystW``: ``W * answer + (1 - W) * before``, cut at 0.5 (exclude clicks only).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

NAMES = ("exrad", "exrads", "excomp", "exvor", "exhyst")


def is_exclude_variant(name: str) -> bool:
    return name.rstrip("0123456789.") in NAMES


def _distance_mm(shape, spacing, points) -> np.ndarray:
    """Each voxel's distance in mm to the nearest of ``points`` (voxel indices on the box)."""
    grids = [np.arange(n) * s for n, s in zip(shape, spacing)]
    best = np.full(shape, np.inf)
    for point in points:
        d2 = sum(((g - p * s) ** 2).reshape([-1 if a == axis else 1 for a in range(3)])
                 for axis, (g, p, s) in enumerate(zip(grids, point, spacing)))
        np.minimum(best, np.sqrt(d2), out=best)
    return best


def after_exclude(name: str, before: np.ndarray, answer: np.ndarray, probability: np.ndarray,
                  excludes, includes, spacing) -> np.ndarray:
    """The mask kept for the variant ``name``; ``excludes``/``includes`` are the clicks' voxel
    indices on the box (the last exclude first), ``probability`` the engine's answer before its
    cut at 0.5."""
    kind = name.rstrip("0123456789.")
    value = float(name[len(kind):]) if name[len(kind):] else None
    if kind == "exhyst":
        return value * probability + (1 - value) * before > 0.5
    radius = (3 * before.sum() * np.prod(spacing) / (4 * np.pi)) ** (1 / 3)
    if kind in ("exrad", "exrads"):
        if kind == "exrads" and 2 * radius >= 12:
            return answer
        near = _distance_mm(before.shape, spacing, excludes[:1]) <= value * radius
        return np.where(near, answer, before)
    if kind == "exvor":
        if not includes:
            return answer
        kept = _distance_mm(before.shape, spacing, includes) < _distance_mm(before.shape, spacing, excludes)
        return answer | (before & kept)
    removed = before & ~answer
    parts, n = ndimage.label(removed)
    if n == 0:
        return before
    at = tuple(int(v) for v in excludes[0])
    inside = all(0 <= a < s for a, s in zip(at, before.shape))
    part = parts[at] if inside else 0
    if part == 0:   # the part nearest the click
        seed = np.zeros(before.shape, bool)
        if inside:
            seed[at] = True
        else:
            seed[tuple(np.clip(at, 0, np.asarray(before.shape) - 1))] = True
        _, index = ndimage.distance_transform_edt(~(parts > 0), sampling=spacing, return_indices=True)
        nearest = tuple(index[:, seed][:, 0])
        part = parts[nearest]
    taken = parts == part
    margin = ndimage.distance_transform_edt(~taken, sampling=spacing) <= 2.0
    return before & ~(taken | (margin & removed))
