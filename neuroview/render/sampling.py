"""Sampling a voxel grid at the centres of a view's pixels (the heart of the numpy slice views).

Axis-aligned planes (the usual case, also for LPS data) take a separable gather: rows and columns
each map to one voxel axis, so nearest neighbour is two ``take`` calls and linear interpolation
four (plus two more when the plane lies between two voxel slices). Oblique planes go through
``scipy.ndimage.map_coordinates``. Linear sampling equals ``map_coordinates(order=1,
mode="nearest")`` at the same points on every plane.
"""

from __future__ import annotations

import numpy as np

from ..core import geometry

_IN_SLICE = 1e-3
"""A plane closer than this (in voxels) to a voxel slice samples that slice only."""


def aligned_axis(vector: np.ndarray) -> int | None:
    """Index of the only non-zero component of ``vector``, or ``None``."""
    magnitude = np.abs(vector)
    axis = int(np.argmax(magnitude))
    if np.all(np.delete(magnitude, axis) <= 1e-6 * magnitude[axis]):
        return axis
    return None


def is_oblique(ras_to_ijk: np.ndarray, geom) -> bool:
    """True when the view's rows or columns do not follow one voxel axis of the grid."""
    linear = ras_to_ijk[:3, :3]
    return aligned_axis(linear @ geom.col_ras) is None or aligned_axis(linear @ geom.row_ras) is None


def _gather(plane: np.ndarray, cols: np.ndarray, rows: np.ndarray, cols_first: bool) -> np.ndarray:
    """``(len(rows), len(cols))`` values of a 2D voxel slice (axes in storage order)."""
    if cols.size * rows.size * 16 < plane.size:
        # A small rectangle (the redraw of a brush dab): one fancy index on the strided slice
        # view; ``take`` would first copy the whole voxel slice. For whole views ``take`` wins.
        if cols_first:
            return np.asarray(plane[np.ix_(cols, rows)]).T
        return np.asarray(plane[np.ix_(rows, cols)])
    if cols_first:
        return np.asarray(plane.take(cols, axis=0).take(rows, axis=1)).T
    return np.asarray(plane.take(rows, axis=0).take(cols, axis=1))


def _linear_weights(coords: np.ndarray, size: int):
    """Lower/upper voxel index and the upper weight of each coordinate (edges clamped)."""
    low = np.floor(coords)
    weight = (coords - low).astype(np.float32)
    low = low.astype(np.intp)
    return np.clip(low, 0, size - 1), np.clip(low + 1, 0, size - 1), weight


def _aligned(array, origin, d_col, d_row, col_axis, row_axis, w, h, order):
    normal_axis = 3 - col_axis - row_axis
    shape = array.shape
    cols_f = origin[col_axis] + np.arange(w) * d_col[col_axis]
    rows_f = origin[row_axis] + np.arange(h) * d_row[row_axis]
    n_f = origin[normal_axis]
    if order == 0:  # inside: the nearest voxel exists
        cols, rows = np.rint(cols_f).astype(np.intp), np.rint(rows_f).astype(np.intp)
        ok_c = (cols >= 0) & (cols < shape[col_axis])
        ok_r = (rows >= 0) & (rows < shape[row_axis])
        k = int(np.rint(n_f))
        if not 0 <= k < shape[normal_axis]:
            return None, None
    else:
        ok_c = (cols_f > -0.5) & (cols_f < shape[col_axis] - 0.5)
        ok_r = (rows_f > -0.5) & (rows_f < shape[row_axis] - 0.5)
        if not -0.5 < n_f < shape[normal_axis] - 0.5:
            return None, None
    inside = ok_r[:, None] & ok_c[None, :]
    cols_first = col_axis < row_axis

    def plane_at(k):
        index: list = [slice(None)] * 3
        index[normal_axis] = k
        return array[tuple(index)]  # a view of one voxel slice; axes in (min, max) order

    if order == 0:
        cols = np.clip(cols, 0, shape[col_axis] - 1)
        rows = np.clip(rows, 0, shape[row_axis] - 1)
        return _gather(plane_at(k), cols, rows, cols_first), inside
    c0, c1, wc = _linear_weights(cols_f, shape[col_axis])
    r0, r1, wr = _linear_weights(rows_f, shape[row_axis])
    wc, wr = wc[None, :], wr[:, None]

    small = c0.size * r0.size * 16 < shape[col_axis] * shape[row_axis]

    def bilinear(plane):
        if small:  # four fancy-index gathers of the rectangle
            top = _gather(plane, c0, r0, cols_first).astype(np.float32)
            top += wc * (_gather(plane, c1, r0, cols_first) - top)
            bottom = _gather(plane, c0, r1, cols_first).astype(np.float32)
            bottom += wc * (_gather(plane, c1, r1, cols_first) - bottom)
            return top + wr * (bottom - top)
        # whole views: interpolate along the columns first (two takes of the voxel slice), then
        # along the rows of that (w x rows) result
        col_dim = 0 if cols_first else 1
        shape_w = [1, 1]
        shape_w[col_dim] = -1
        left = plane.take(c0, axis=col_dim).astype(np.float32)
        across = left + wc.reshape(shape_w) * (plane.take(c1, axis=col_dim) - left)
        up = across.take(r0, axis=1 - col_dim)
        down = across.take(r1, axis=1 - col_dim)
        shape_r = [1, 1]
        shape_r[1 - col_dim] = -1
        values = up + wr.reshape(shape_r) * (down - up)
        return values.T if cols_first else values

    k0, k1, wk = _linear_weights(np.array([n_f]), shape[normal_axis])
    k0, k1, wk = int(k0[0]), int(k1[0]), float(wk[0])
    if wk < _IN_SLICE or k0 == k1:
        return bilinear(plane_at(k0)), inside
    if wk > 1 - _IN_SLICE:
        return bilinear(plane_at(k1)), inside
    lower = bilinear(plane_at(k0))
    return lower + np.float32(wk) * (bilinear(plane_at(k1)) - lower), inside


def sample_plane(array: np.ndarray, ras_to_ijk: np.ndarray, geom, order: int = 0,
                 fill: float = 0) -> tuple[np.ndarray, np.ndarray]:
    """Values of a 3D ``array`` (voxel grid ``ras_to_ijk``) at the centres of a view's pixels.

    Returns ``(values, inside)``: a ``(height, width)`` array and a boolean mask of the pixels that
    fall inside the grid. ``order`` 0 is nearest neighbour (labels), 1 linear (the image; float32).
    """
    linear = ras_to_ijk[:3, :3]
    # pixel centres in voxel coordinates, nudged as core's tie rule says: rounding them picks the
    # voxel that Volume.ras_to_voxel, the brush and the status bar pick at the same point
    origin = geometry.tie_broken_ijk(ras_to_ijk, geom.origin_ras)
    d_col, d_row = linear @ geom.col_ras, linear @ geom.row_ras
    shape = np.asarray(array.shape[:3])
    w, h = geom.width, geom.height
    col_axis, row_axis = aligned_axis(d_col), aligned_axis(d_row)
    if col_axis is not None and row_axis is not None and col_axis != row_axis:
        values, inside = _aligned(array, origin, d_col, d_row, col_axis, row_axis, w, h, order)
        dtype = array.dtype if order == 0 else np.float32
        if values is None:
            return np.full((h, w), fill, dtype=dtype), np.zeros((h, w), dtype=bool)
        if not inside.all():
            values = np.where(inside, values, np.asarray(fill, dtype=values.dtype))
        return values, inside
    from scipy import ndimage  # noqa: PLC0415 - only oblique planes need it (saves start-up time)

    c = np.arange(w, dtype=np.float32)[None, :]
    r = np.arange(h, dtype=np.float32)[:, None]
    coords = np.empty((3, h, w), dtype=np.float32)
    for axis in range(3):
        coords[axis] = origin[axis] + c * d_col[axis] + r * d_row[axis]
    inside = np.ones((h, w), dtype=bool)
    for axis in range(3):
        inside &= (coords[axis] > -0.5) & (coords[axis] < shape[axis] - 0.5)
    values = ndimage.map_coordinates(np.asarray(array), coords, order=order, mode="nearest",
                                     prefilter=False, output=np.float32 if order else None)
    values = np.where(inside, values, np.asarray(fill, dtype=values.dtype))
    return values, inside
