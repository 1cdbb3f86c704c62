"""Corrections that act locally, whatever the network answers: clicks and scribbles on a given
mask (an exclude on a leak, an include in a missed part), and a box given after other prompts.

The bundled network learnt corrections only after a first include prompt, and boxes only as first
prompts. Given other sequences it answers far from the prompt:

- an exclude prompt on a mask the object began with (a model's proposal, painting) and no include
  prompt: it took the lesion with the leak (Dice 0.685 -> 0.350 on 37 held-out leaks, 0.823 with
  this rule; the rule without the include click and the reach, 0.385 on 24). Here the
  network is asked as in its training (an include click at the mask's deepest voxel away from
  the exclude, then the exclude), and of its answer only what it removes *around the exclude*
  is used: the connected parts, within the mask's local thickness at the prompt (its distance to
  the mask's edge) of the exclude prompt's voxels, that touch them (:func:`corrected_parts`);
- an include click or scribble on such a mask: the network's answer dropped parts of the mask
  elsewhere (Dice 0.672 -> 0.557 on 36 held-out lesions missing a part). Here only what it adds
  near the prompt is used (:func:`corrected_parts` with ``include``; 0.736); every later click or
  scribble on such an object acts the same way;
- a box after clicks: the network answered the whole object anew from a mix of prompts it never
  saw and lowered Dice (0.766 -> 0.751 on 37, worse on 19). Here it is a constraint: nothing of the
  object outside the box's rectangle, seen along the box plane's normal (:func:`inside_box`);
  the network gets the clicks and the previous mask as before (0.780, worse on 5).

Depths and reaches are world distances between voxel centres
(:mod:`neuroview.core.world_distance`): a distance transform weighted by the voxel
sizes where the axes are perpendicular, exact from a k-d tree on a sheared (gantry-tilted) grid.

``bench/interactive.py --scenario leak``, ``missed`` and ``late-box`` measure them. Numpy/scipy only.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from scipy import ndimage

from ...core.geometry import apply_affine, ball_reach
from ...core.world_distance import WorldDistance, distance_to
from .prompts import PointPrompt, PromptSet


def voxel_sizes(ijk_to_ras: np.ndarray) -> np.ndarray:
    return np.linalg.norm(np.asarray(ijk_to_ras, float)[:3, :3], axis=0)


def _to_ijk(points_ras: np.ndarray, ijk_to_ras: np.ndarray) -> np.ndarray:
    ras_to_ijk = np.linalg.inv(ijk_to_ras)
    return np.asarray(points_ras, float).reshape(-1, 3) @ ras_to_ijk[:3, :3].T + ras_to_ijk[:3, 3]


def _depth(mask: np.ndarray, ijk_to_ras: np.ndarray) -> WorldDistance:
    """``mask``'s depth: each voxel's world distance (mm) to the nearest voxel centre outside it
    (the voxels past the box count as outside); 0 off the mask. On a sheared grid each voxel's
    costs a k-d tree query, so only the voxels needed are asked (:meth:`WorldDistance.at`)."""
    return WorldDistance(~np.asarray(mask, bool), ijk_to_ras, beyond=True)


def _reach(ijk_to_ras: np.ndarray, lo, shape, points_ijk: np.ndarray, radius_mm: float) -> np.ndarray:
    """Voxels of the box at ``lo`` of ``shape`` whose centres lie within ``radius_mm`` (world mm)
    of the centre of a voxel under any of the points."""
    out = np.zeros(shape, bool)
    inside = np.rint(points_ijk).astype(int) - np.asarray(lo)
    inside = inside[np.all((inside >= 0) & (inside < np.asarray(shape)), axis=1)]
    if len(inside) == 0:
        return out
    out[tuple(inside.T)] = True
    return distance_to(out, ijk_to_ras, limit=radius_mm) <= radius_mm + 1e-6


def prompt_points(prompts: PromptSet, include: bool = False) -> list[tuple[np.ndarray, float]]:
    """``(points_ras, radius_mm)`` of each exclude (or include) click and scribble (a box's or
    lasso's outline counts by its vertices)."""
    from .roi import CLICK_RADIUS_MM

    out = []
    for p in prompts.prompts:
        if p.include == include:
            radius = p.width_mm / 2.0 if p.kind == "scribble" else CLICK_RADIUS_MM
            out.append((p.points_ras(), radius))
    return out


def anchor_prompt(prompts: PromptSet, mask: np.ndarray, ijk_to_ras: np.ndarray,
                  window_mm: float) -> Optional[PointPrompt]:
    """An include click at the deepest voxel of the part(s) of ``mask`` the exclude prompts lie
    on or touch, out of reach of them (:func:`corrected_parts`' reach); ``None`` when there is
    no such voxel (the whole part lies within reach: the exclude takes it all)."""
    excludes = prompt_points(prompts)
    ijk = np.concatenate([_to_ijk(p, ijk_to_ras) for p, _r in excludes])
    span = ball_reach(ijk_to_ras, window_mm)           # voxels along each axis, a sheared grid's too
    shape = np.asarray(mask.shape[:3])
    lo = np.clip(np.floor(ijk.min(0) - span).astype(int), 0, shape)
    hi = np.clip(np.ceil(ijk.max(0) + span).astype(int) + 1, 0, shape)
    window = np.asarray(mask[tuple(slice(a, b) for a, b in zip(lo, hi))], bool)
    depth = _depth(window, ijk_to_ras)
    near = np.zeros(window.shape, bool)
    far = np.ones(window.shape, bool)
    for points, radius in excludes:
        points_ijk = _to_ijk(points, ijk_to_ras)
        near |= _reach(ijk_to_ras, lo, window.shape, points_ijk, radius)
        far &= ~_reach(ijk_to_ras, lo, window.shape, points_ijk, radius + _depth_at(depth, points_ijk - lo))
    parts, _n = ndimage.label(window)
    touched = np.unique(parts[near & window])
    candidates = np.isin(parts, touched[touched > 0]) & far
    if not candidates.any():
        return None
    voxels = np.argwhere(candidates)                      # in C order: the first deepest, as before
    p_ijk = voxels[int(np.argmax(depth.at(voxels)))].astype(float) + lo
    return PointPrompt(tuple(np.asarray(ijk_to_ras)[:3, :3] @ p_ijk + np.asarray(ijk_to_ras)[:3, 3]))


def _depth_at(depth: WorldDistance, points_ijk: np.ndarray) -> float:
    """The largest ``depth`` under the points (0 where none lies on the box)."""
    inside = np.rint(points_ijk).astype(int).reshape(-1, 3)
    inside = inside[np.all((inside >= 0) & (inside < np.asarray(depth.target.shape)), axis=1)]
    return float(depth.at(inside).max()) if len(inside) else 0.0


def corrected_parts(mask: np.ndarray, answer: np.ndarray, prompts: PromptSet, lo,
                    ijk_to_ras: np.ndarray, include: bool = False) -> np.ndarray:
    """What exclude ``prompts`` take from ``mask`` (both on the box of voxels at ``lo``), given
    the network's ``answer`` there: the voxels of ``mask`` the answer leaves out, within reach of
    an exclude prompt (its radius plus the mask's depth under it: how thick the mask is where the
    user pointed), in connected parts that touch the prompt's own voxels. With ``include``, what
    include prompts add to it the same way: voxels of the answer outside ``mask``, within the
    prompt's radius plus its distance from the mask."""
    depth = _depth(mask if not include else ~mask, ijk_to_ras)
    near = np.zeros(mask.shape, bool)
    reach = np.zeros(mask.shape, bool)
    for points, radius in prompt_points(prompts, include):
        points_ijk = _to_ijk(points, ijk_to_ras)
        near |= _reach(ijk_to_ras, lo, mask.shape, points_ijk, radius)
        reach |= _reach(ijk_to_ras, lo, mask.shape, points_ijk,
                        radius + _depth_at(depth, points_ijk - np.asarray(lo)))
    changed = (answer & ~mask) if include else (mask & ~answer)
    parts, n = ndimage.label(changed & reach)
    if n == 0:
        return parts > 0
    touched = np.unique(parts[ndimage.binary_dilation(near, np.ones((3, 3, 3), bool))])
    return np.isin(parts, touched[touched > 0])


def late_boxes(prompts: PromptSet) -> list:
    """The include boxes given after another prompt of the object: constraints, not network input."""
    return [p for i, p in enumerate(prompts.prompts) if i > 0 and p.kind == "box" and p.include]


def inside_box(box, lo, shape, ijk_to_ras: np.ndarray) -> np.ndarray:
    """Voxels of the box of voxels at ``lo`` of ``shape`` whose centres, seen along the normal of
    ``box``'s plane, fall inside its rectangle or within one voxel of it (an edge drawn by hand
    is uncertain by that much: with half a voxel, 14 of 37 boxes moved by up to a tenth of their
    size cut the lesion by more than 0.01 Dice, with one voxel 5; ``--scenario late-box``)."""
    affine = np.asarray(ijk_to_ras, float)
    idx = np.indices(shape, dtype=np.float32).reshape(3, -1) + np.asarray(lo, np.float32)[:, None]
    ras = affine[:3, :3].astype(np.float32) @ idx + affine[:3, 3:4].astype(np.float32)
    ras_to_ijk = np.linalg.inv(affine)[:3, :3]
    keep = np.ones(ras.shape[1], bool)
    a, b = np.asarray(box.corner_a), np.asarray(box.corner_b)
    for axis in box.axes:
        axis = np.asarray(axis)
        voxel = 1.0 / float(np.abs(ras_to_ijk @ axis).max())  # one voxel step along the axis, mm
        s = axis.astype(np.float32) @ ras
        low, high = sorted((float(axis @ a), float(axis @ b)))
        keep &= (s >= low - voxel - 1e-3) & (s <= high + voxel + 1e-3)
    return keep.reshape(shape)


def inside_lasso(lasso, lo, shape, ijk_to_ras: np.ndarray) -> np.ndarray:
    """Voxels of the box of voxels at ``lo`` of ``shape`` whose centres, seen along the normal of
    ``lasso``'s plane, fall inside its outline (even-odd rule), or next to one that does (one
    voxel of slack, as :func:`inside_box` gives a hand-drawn edge)."""
    affine = np.asarray(ijk_to_ras, float)
    idx = np.indices(shape, dtype=np.float32).reshape(3, -1) + np.asarray(lo, np.float32)[:, None]
    ras = affine[:3, :3].astype(np.float32) @ idx + affine[:3, 3:4].astype(np.float32)
    u, v = (np.asarray(axis, np.float32) for axis in lasso.axes)
    s, t = u @ ras, v @ ras
    outline = np.asarray(lasso.points_ras(), np.float32)
    xa, ya = outline @ u, outline @ v
    xb, yb = np.roll(xa, -1), np.roll(ya, -1)
    inside = np.zeros(s.shape, bool)
    for x0, y0, x1, y1 in zip(xa, ya, xb, yb):
        crosses = (y0 > t) != (y1 > t)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x0 + (t - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (s < x_at)
    return ndimage.binary_dilation(inside.reshape(shape), np.ones((3, 3, 3), bool))


def inside_region(prompt, lo, shape, ijk_to_ras: np.ndarray) -> np.ndarray:
    """:func:`inside_box` of a box prompt, :func:`inside_lasso` of a lasso."""
    if prompt.kind == "lasso":
        return inside_lasso(prompt, lo, shape, ijk_to_ras)
    return inside_box(prompt, lo, shape, ijk_to_ras)


def _framed(prompt, affine: np.ndarray):
    """``(outline, depth, step)`` of a box or lasso prompt: its outline's corners (RAS mm), half its
    narrower side and one voxel along its normal (mm)."""
    outline = prompt.points_ras()
    u, v = (np.asarray(a, float) for a in prompt.axes)
    if prompt.kind == "box":   # the rectangle's four corners
        a, b = outline
        outline = np.asarray([a, b, a + u * (u @ (b - a)), a + v * (v @ (b - a))])
    flat = outline @ np.stack([u, v]).T
    normal = np.asarray(prompt.normal, float)
    step = 1.0 / float(np.abs(np.linalg.inv(affine)[:3, :3] @ normal).max())
    return outline, float(np.ptp(flat, axis=0).min()) / 2, step


def near_box(prompt, ijk_to_ras: np.ndarray):
    """``(lo, hi)``: the box of voxels (not clipped to a grid) holding :func:`near_region`."""
    affine = np.asarray(ijk_to_ras, float)
    outline, depth, step = _framed(prompt, affine)
    reach = np.asarray(prompt.normal, float) * (depth + step)
    corners = np.concatenate([outline + reach, outline - reach])
    ijk = (corners - affine[:3, 3]) @ np.linalg.inv(affine[:3, :3]).T
    return np.floor(ijk.min(0)).astype(int) - 2, np.ceil(ijk.max(0)).astype(int) + 3


def near_region(prompt, lo, shape, ijk_to_ras: np.ndarray) -> np.ndarray:
    """:func:`inside_region` of a box or lasso prompt, less the voxels farther from its plane than
    half its narrower side (and one voxel): the object it frames, grown into 3D as deep as it is
    wide. The region seen along the normal crosses the whole head: a box round a lesion on a
    sagittal view reached a lesion of the other hemisphere that lay behind it. Crop ``lo`` and
    ``shape`` to :func:`near_box` (4 million voxels took 11 s on a loaded 2-core machine)."""
    affine = np.asarray(ijk_to_ras, float)
    outline, depth, step = _framed(prompt, affine)
    normal = np.asarray(prompt.normal, float)
    idx = np.indices(shape, dtype=np.float32).reshape(3, -1) + np.asarray(lo, np.float32)[:, None]
    off = normal @ (affine[:3, :3] @ idx + affine[:3, 3:4]) - float(normal @ outline[0])
    return inside_region(prompt, lo, shape, ijk_to_ras) & (np.abs(off) <= depth + step).reshape(shape)


def held_out(prompts: PromptSet, lo, shape, ijk_to_ras: np.ndarray) -> np.ndarray:
    """Voxels of the box of voxels at ``lo`` of ``shape`` whose centres lie under an exclude
    click or scribble, less those under an include click or scribble given after it: the answer
    is 0 there, on the volume's own voxels (kept out on the ROI cube only, a voxel between the
    cube's voxels came back through the resampling when a later lasso widened the cube)."""
    out = np.zeros(shape, bool)
    for prompt in prompts.prompts:
        if prompt.kind in ("point", "scribble") and (out.any() or not prompt.include):
            under = _under(prompt, lo, shape, ijk_to_ras)
            out = (out & ~under) if prompt.include else (out | under)
    return out


def filled_at_includes(region: np.ndarray, prompts: PromptSet, lo, ijk_to_ras: np.ndarray,
                       kept_out: np.ndarray) -> np.ndarray:
    """``region`` (the answer's probability on the box at ``lo``) with every hole of its object
    (background enclosed in 3D) that holds an include click's or scribble's voxels made object,
    less ``kept_out``. The network may leave a cavity where the user pointed: on the demo's
    lesion 2, an include click at its centre and an exclude 9 mm away left the include click's
    own voxel in a 40-voxel cavity, a dot of background in the middle of the accepted lesion."""
    mask = region > 0.5
    holes = ndimage.binary_fill_holes(mask) & ~mask
    if not holes.any():
        return region
    pointed = np.zeros(region.shape, bool)
    for prompt in prompts.prompts:
        if prompt.include and prompt.kind in ("point", "scribble"):
            pointed |= _under(prompt, lo, region.shape, ijk_to_ras)
    parts, _ = ndimage.label(holes)
    ids = np.unique(parts[pointed & holes])
    fill = np.isin(parts, ids[ids > 0]) & ~kept_out
    if not fill.any():
        return region
    region = region.copy()
    region[fill] = 1.0
    return region


def _under(prompt, lo, shape, ijk_to_ras: np.ndarray) -> np.ndarray:
    """Voxels of the box at ``lo`` of ``shape`` within a click's radius of its point, or within
    half a scribble's width of its stroke (and half a voxel of the plane it was drawn on)."""
    from scipy.spatial import cKDTree

    from .roi import CLICK_RADIUS_MM

    affine = np.asarray(ijk_to_ras, float)
    sizes = voxel_sizes(affine)
    points = prompt.points_ras()
    radius = max(prompt.width_mm / 2.0, 0.5 * float(sizes.min())) if prompt.kind == "scribble" \
        else CLICK_RADIUS_MM
    ijk = _to_ijk(points, affine) - np.asarray(lo)
    reach = ball_reach(affine, radius)                # voxels along each axis, a sheared grid's too
    first = np.clip(np.floor(ijk.min(0) - reach).astype(int), 0, shape)
    last = np.clip(np.ceil(ijk.max(0) + reach).astype(int) + 1, 0, shape)
    out = np.zeros(shape, bool)
    if np.any(last <= first):
        return out
    sub = tuple(slice(a, b) for a, b in zip(first, last))
    idx = np.indices(last - first, dtype=float).reshape(3, -1).T + first + np.asarray(lo)
    centres = apply_affine(affine, idx)
    distance, _ = cKDTree(points).query(centres, distance_upper_bound=radius + 1e-6)
    near = np.isfinite(distance)
    if getattr(prompt, "axes", None) is not None:   # a scribble on the plane it was drawn on
        normal = prompt.normal / np.linalg.norm(prompt.normal)
        step = 1.0 / float(np.abs(np.linalg.inv(affine)[:3, :3] @ normal).max())
        near &= np.abs((centres - points[0]) @ normal) <= step / 2 + 1e-6
    out[sub] = near.reshape(last - first)
    return out
