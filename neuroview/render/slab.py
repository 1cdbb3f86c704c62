"""Thick-slab views (MIP, MinIP, mean), as Slicer's *Slab reconstruction* and PACS viewers draw
them: each screen pixel shows the maximum, minimum or mean of the image along the view's normal
over ``thickness_mm`` centred on the thin slice.

Which voxels: those whose centres lie within ``thickness_mm / 2`` of the view's plane (a 10 mm
slab on 1 mm slices takes 11 voxel slices, the thin one and 5 each side); at least the thin
slice. On a plane that follows the voxel grid the slab is reduced over those voxel slices first
(one numpy ``max`` over a view of the array, no copy) and that single slice is then sampled as a
thin one: the MIP is numpy's ``max`` over the same voxels. An oblique slab is sampled on planes
evenly spread through its whole thickness, at most one voxel step apart along its normal, each
interpolated, and the samples combined; points outside the image do not count. It is computed
on the plane's grid at the voxels' spacing (:func:`slab_grid`), whatever the picture's size, zoom
and pan, and drawn at the picture's pixels from there (:func:`slab_onto`): a slab computed once
is drawn at every size (a view, *Export all views*' tiles) with the same pixels as one computed
for that size.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np

from ..core import geometry
from ..core.jobs import check, report
from .sampling import aligned_axis, sample_plane

MODES = ("max", "min", "mean")
_COMBINE = {"max": np.fmax, "min": np.fmin, "mean": np.add}
"""fmax/fmin: a NaN voxel (a float image's padding) does not blank the slab's pixel."""
_EPS = 1e-6
_ROWS = 8
"""Rows of the outermost axis combined at a time along the innermost axis (stay in cache)."""


def reduce_slab(block: np.ndarray, axis: int, mode: str) -> np.ndarray:
    """``block`` reduced along ``axis`` (kept, of size 1) by max, min or mean (float32).

    Along the axis of smallest stride (k of a C-ordered array, i of nibabel's Fortran order)
    numpy's reduction runs one tiny reduction per voxel row: 110 ms for a 17-slice slab of a
    512x512 CT. There the slices are combined one by one, a few rows of the outermost axis at a
    time so that those rows stay in cache: 15 ms (both measured on 2 shared cores)."""
    strides = np.abs(np.asarray(block.strides))
    if mode == "mean" and block.dtype.kind == "f":
        with warnings.catch_warnings():   # a pixel whose every voxel is NaN stays NaN (black)
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(block, axis=axis, dtype=np.float32, keepdims=True)
    if block.shape[axis] == 1 or strides[axis] > np.delete(strides, axis).min():
        if mode == "mean":
            return block.mean(axis=axis, dtype=np.float32, keepdims=True)
        return _COMBINE[mode].reduce(block, axis=axis, keepdims=True)
    outer = int(np.argmax(strides))
    shape = list(block.shape)
    shape[axis] = 1
    out = np.empty(shape, dtype=np.float32 if mode == "mean" else block.dtype)
    combine = _COMBINE[mode]
    for start in range(0, block.shape[outer], _ROWS):
        rows: list = [slice(None)] * 3
        rows[outer] = slice(start, start + _ROWS)
        sub, acc = block[tuple(rows)], out[tuple(rows)]
        first: list = [slice(None)] * 3
        for k in range(block.shape[axis]):
            first[axis] = slice(k, k + 1)
            if k == 0:
                acc[...] = sub[tuple(first)]
            else:
                combine(acc, sub[tuple(first)], out=acc)
    if mode == "mean":
        out /= np.float32(block.shape[axis])
    return out


def is_oblique(ras_to_ijk, geom) -> bool:
    """True when the view's plane does not follow the voxel grid: its slab is interpolated plane
    by plane (1.4-2 s a frame for 10 mm of a thin-slice CT) instead of reduced over voxel slices."""
    linear = ras_to_ijk[:3, :3]
    return any(aligned_axis(linear @ v) is None for v in (geom.normal, geom.col_ras, geom.row_ras))


def _aligned_block(array, ras_to_ijk, geom, thickness_mm, mode):
    """``(reduced array with one slice along the normal, its ras_to_ijk)`` for a plane along the
    voxel grid, or ``None`` (oblique, or the plane lies outside the grid)."""
    if is_oblique(ras_to_ijk, geom):
        return None
    linear = ras_to_ijk[:3, :3]
    axis = aligned_axis(linear @ geom.normal)
    centre = float(geometry.apply_affine(ras_to_ijk, geom.origin_ras)[axis])
    size = array.shape[axis]
    if not -0.5 < centre < size - 0.5:
        return None
    half = 0.5 * thickness_mm * abs(float((linear @ geom.normal)[axis]))  # in voxels
    lo = max(int(np.ceil(centre - half - _EPS)), 0)
    hi = min(int(np.floor(centre + half + _EPS)), size - 1)
    if hi < lo:  # a slab thinner than a voxel between two slices: the nearest one
        lo = hi = int(np.clip(np.rint(centre), 0, size - 1))
    index: list = [slice(None)] * 3
    index[axis] = slice(lo, hi + 1)
    block = array[tuple(index)]  # a view: no copy
    reduced = reduce_slab(block, axis, mode)
    # the reduced slice lies at index 0 along the normal, exactly under the view's plane
    shift = np.eye(4)
    shift[axis, 3] = -centre
    return reduced, shift @ ras_to_ijk


def _shifted(geom, offset_mm: float):
    return replace(geom, origin_ras=geom.origin_ras + offset_mm * geom.normal)


def _oblique(array, ras_to_ijk, geom, thickness_mm, mode, step_mm, cancel=None, progress=None):
    """Planes evenly spread from one face of the slab to the other, at most ``step_mm`` (one
    voxel) apart, the thin one among them; each interpolated, then combined. ``cancel``
    (``core.jobs.CancelToken``) is checked before each plane; ``progress(done, total)`` told
    after each."""
    half = 0.5 * thickness_mm
    count = max(int(np.ceil(half / step_mm - _EPS)), 1)   # planes each side of the thin one
    result, counts = None, np.zeros((geom.height, geom.width), dtype=np.float32)
    offsets = np.linspace(-half, half, 2 * count + 1)
    for done, offset in enumerate(offsets):
        check(cancel)
        report(progress, done, len(offsets), "Thick slab")
        values, inside = sample_plane(array, ras_to_ijk, _shifted(geom, offset), order=1,
                                      fill=np.nan)
        counts += inside
        if result is None:
            result = np.where(inside, values, np.float32(0)) if mode == "mean" else values
        elif mode == "max":
            np.fmax(result, values, out=result)   # fmax/fmin skip NaN: points outside the image
        elif mode == "min":
            np.fmin(result, values, out=result)
        else:
            result += np.where(inside, values, np.float32(0))
    seen = counts > 0
    if mode == "mean":
        result = result / np.maximum(counts, 1)
    return np.where(seen, result, np.float32(0)).astype(np.float32), seen


def sample_slab(array: np.ndarray, ras_to_ijk: np.ndarray, geom, thickness_mm: float,
                mode: str = "max", order: int = 1, cancel=None,
                progress=None) -> tuple[np.ndarray, np.ndarray]:
    """``(values, inside)`` of a thick slab of the 3D ``array`` at the view's pixels, as
    :func:`~neuroview.render.sampling.sample_plane` gives a thin slice's. ``mode``: ``"max"``
    (MIP), ``"min"`` (MinIP) or ``"mean"``; ``thickness_mm`` 0 is the thin slice. ``cancel``: a
    ``core.jobs.CancelToken`` an oblique slab checks between its planes (it raises
    ``core.errors.Cancelled``), for a slab computed off the GUI thread (``ui.slab_job``);
    ``progress(done, total, text)``: told at each of its planes."""
    if mode not in MODES:
        raise ValueError(f"slab mode must be one of {MODES}, got {mode!r}")
    if thickness_mm <= 0:
        return sample_plane(array, ras_to_ijk, geom, order=order)
    block = _aligned_block(array, ras_to_ijk, geom, thickness_mm, mode)
    if block is not None:
        return sample_plane(block[0], block[1], geom, order=order)
    linear = ras_to_ijk[:3, :3]
    step_mm = float(1.0 / np.max(np.abs(linear @ geom.normal)))  # one voxel along the normal
    if not geometry_cuts(array.shape, ras_to_ijk, geom, thickness_mm):
        return sample_plane(array, ras_to_ijk, geom, order=order)
    grid = slab_grid(array.shape, ras_to_ijk, geom)   # the same slab at any size, zoom and pan
    values = _oblique(array, ras_to_ijk, grid, thickness_mm, mode, step_mm, cancel, progress)
    return slab_onto(values, grid, geom)


GRID_MAX = 512
"""Most pixels a side of an oblique slab's grid (:func:`slab_grid`): coarser than the voxels
beyond it (0.53-0.65 mm for 0.45 mm CTs tilted 15 degrees, 230-300 mm across), so that a slab
costs what one at a 512 x 512 view's pixels did (``bench/slab_export.py``: 1024 ms against
1039 ms; 1452 against 850 ms at 1024). A cap by grid points instead (at most 1024 x 1024, the
voxels' spacing below it; 10-16 MB) kept those CTs at their own spacing but took 1.2-1.7x the
time (1.4-2.1x the points; ``bench/slab.py --grid-only``, session 40) for detail a 512-pixel view
shows only zoomed in: not adopted."""


def grid_spacing(voxel_mm: float, extent_mm) -> float:
    """The spacing of an oblique slab's grid over a plane of ``extent_mm`` (width, height):
    the voxels' ``voxel_mm``, or coarser so that it has at most :data:`GRID_MAX` points a side."""
    return max(voxel_mm, float(max(extent_mm)) / GRID_MAX)


def _unit(vector) -> np.ndarray:
    # rounded: the same plane at another zoom gives the very same grid (and slab_key)
    return np.round(np.asarray(vector, dtype=float) / np.linalg.norm(vector), 12)


def slab_grid(shape, ras_to_ijk, geom):
    """The grid an oblique slab of the view's plane ``geom`` is computed on: the plane's pixel
    axes at the voxels' smallest spacing (at most :data:`GRID_MAX` a side), over all of the
    image's projection on it. It depends on the plane (its direction and depth) and the image
    only, not on the view's size, zoom or pan: a slab computed once is drawn by
    :func:`slab_onto` at any of them (the window's views, *Export all views*' tiles)."""
    ijk_to_ras = np.linalg.inv(ras_to_ijk)
    right, down = _unit(geom.col_ras), _unit(geom.row_ras)
    normal = np.cross(right, down)
    spacing = float(np.linalg.norm(ijk_to_ras[:3, :3], axis=0).min())
    corners = geometry.corners_ras(shape[:3], ijk_to_ras)
    half_voxel = 0.5 * np.abs(ijk_to_ras[:3, :3]).sum(axis=1)
    low, high = [], []
    for axis in (right, down):
        along, pad = corners @ axis, float(half_voxel @ np.abs(axis))
        low.append(along.min() - pad)
        high.append(along.max() + pad)
    extent = np.subtract(high, low)
    spacing = grid_spacing(spacing, extent)
    width, height = (max(int(np.ceil(e / spacing)), 1) for e in extent)
    depth = float(np.asarray(geom.origin_ras) @ normal)
    origin = ((low[0] + spacing / 2) * right + (low[1] + spacing / 2) * down + depth * normal)
    return replace(geom, origin_ras=np.round(origin, 9), col_ras=right * spacing,
                   row_ras=down * spacing, width=width, height=height)


def slab_onto(values: tuple, grid, geom) -> tuple[np.ndarray, np.ndarray]:
    """A slab ``(values, inside)`` computed on ``grid`` (:func:`slab_grid`), at the pixels of
    ``geom``, a picture of the same plane (any size, zoom and pan): interpolated linearly, as
    a thin slice is from the voxels; pixels off the grid or outside the image are outside."""
    if (grid.width, grid.height) == (geom.width, geom.height) and np.allclose(
            np.concatenate([grid.origin_ras, grid.col_ras, grid.row_ras]),
            np.concatenate([geom.origin_ras, geom.col_ras, geom.row_ras]), atol=1e-6):
        return values   # the grid itself (``ui.slab_job`` computes it to draw at any size)
    col, row = np.asarray(grid.col_ras), np.asarray(grid.row_ras)
    start = np.asarray(geom.origin_ras) - grid.origin_ras
    # grid (row, column) of pixel (y, x): the planes' axes are parallel, each scaled and shifted
    matrix = [float(geom.row_ras @ row / (row @ row)), float(geom.col_ras @ col / (col @ col))]
    offset = [float(start @ row / (row @ row)), float(start @ col / (col @ col))]
    shape = (geom.height, geom.width)
    sampled, inside = values
    # scipy here: the window's first paint imports this module (tests/cli/test_start_imports.py)
    from scipy import ndimage

    def onto(array):
        return ndimage.affine_transform(array.astype(np.float32), matrix, offset, shape, order=1,
                                        mode="constant", cval=0.0)

    # the inside samples' weights only: a MIP's edge is not blended with the outside's 0
    weight = onto(inside)
    kept = weight > 0.5
    out = onto(np.where(inside, sampled, 0)) / np.where(kept, weight, np.float32(1))
    return np.where(kept, out, np.float32(0)).astype(np.float32), kept


def geometry_cuts(shape, ras_to_ijk, geom, thickness_mm) -> bool:
    """True when the slab around the view's plane reaches the grid (an oblique slab wholly
    outside draws nothing, as the thin slice)."""
    ijk_to_ras = np.linalg.inv(ras_to_ijk)
    depths = geometry.corners_ras(shape[:3], ijk_to_ras) @ geom.normal
    centre = float(geom.origin_ras @ geom.normal)
    return depths.min() - thickness_mm / 2 <= centre <= depths.max() + thickness_mm / 2
