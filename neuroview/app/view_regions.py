"""Which pixels of a slice view a change of the label map touches (no Qt).

An edit reports the voxel box it changed; a view redraws only the screen rectangle that box
projects to, and nothing at all when its slice does not cut the box.
"""

from __future__ import annotations

import itertools

import numpy as np


def box_rect_in_view(box, ijk_to_ras: np.ndarray, geom, margin: int = 1):
    """Widget pixel rectangle ``(x0, y0, x1, y1)`` (end exclusive) covering voxel ``box`` in view
    ``geom`` (a :class:`~neuroview.app.view_state.SliceGeometry`), or ``None`` when the view's
    plane misses the box or the box lies outside the view."""
    lo, hi = (np.asarray(b, dtype=float) for b in box)
    corners_ijk = np.array(list(itertools.product(*zip(lo - 0.5, hi - 0.5))))
    affine = np.asarray(ijk_to_ras, dtype=float)
    corners = corners_ijk @ affine[:3, :3].T + affine[:3, 3]
    depth = (corners - geom.origin_ras) @ geom.normal
    if depth.min() > 1e-6 or depth.max() < -1e-6:
        return None
    pixels = np.array([geom.ras_to_pixel(p) for p in corners])
    x0 = max(int(np.floor(pixels[:, 0].min())) - margin, 0)
    y0 = max(int(np.floor(pixels[:, 1].min())) - margin, 0)
    x1 = min(int(np.ceil(pixels[:, 0].max())) + margin, geom.width)
    y1 = min(int(np.ceil(pixels[:, 1].max())) + margin, geom.height)
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def sub_geometry(geom, x0: int, y0: int, x1: int, y1: int):
    """The geometry of the pixels ``[x0, x1) x [y0, y1)`` of a view, as a view of their own."""
    return type(geom)(geom.origin_ras + x0 * geom.col_ras + y0 * geom.row_ras, geom.col_ras,
                      geom.row_ras, x1 - x0, y1 - y0)
