"""The region of interest a promptable model sees, and the prompts drawn into it.

A :class:`RoiGrid` is an isotropic grid (a spacing the model accepts: 1 mm for a small object,
coarser for a large one, see :func:`fit_spacing`) whose axes follow the
volume's own voxel axes (so an oblique volume gets an oblique ROI and nothing is rotated twice),
centred on the prompts. The image is resampled into it linearly; prompts (RAS mm) are mapped
through its ``ijk_to_ras`` and drawn as channels: include and exclude (balls around clicks, tubes
along scribbles) and box (the rectangle on its plane, one voxel thick; a lasso's enclosed region
likewise). The model's probability is
resampled back onto the volume's voxels inside the ROI. Numpy/scipy only: training uses the same
encoders, so what the network learnt is what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
from scipy import ndimage

CHANNELS = ("image", "include", "exclude", "box", "previous")
CLICK_RADIUS_MM = 2.0


@dataclass
class RoiGrid:
    ijk_to_ras: np.ndarray
    shape: tuple[int, int, int]

    @property
    def spacing(self) -> float:
        return float(np.linalg.norm(self.ijk_to_ras[:3, 0]))

    @property
    def ras_to_ijk(self) -> np.ndarray:
        return np.linalg.inv(self.ijk_to_ras)

    def to_ijk(self, p_ras) -> np.ndarray:
        p = np.asarray(p_ras, dtype=float).reshape(-1, 3)
        m = self.ras_to_ijk
        return p @ m[:3, :3].T + m[:3, 3]

    def direction_to_ijk(self, d_ras) -> np.ndarray:
        d = np.asarray(d_ras, dtype=float) @ self.ras_to_ijk[:3, :3].T
        return d / (np.linalg.norm(d) or 1.0)


def roi_grid(volume_affine: np.ndarray, centre_ras, side: int, spacing: float) -> RoiGrid:
    """A ``side``^3 grid of ``spacing`` mm centred on ``centre_ras``, axes along the volume's."""
    linear = np.asarray(volume_affine, float)[:3, :3]
    directions = linear / np.linalg.norm(linear, axis=0)
    affine = np.eye(4)
    affine[:3, :3] = directions * spacing
    affine[:3, 3] = np.asarray(centre_ras, float) - affine[:3, :3] @ np.full(3, (side - 1) / 2.0)
    return RoiGrid(affine, (side, side, side))


def on_voxels(volume_affine: np.ndarray, centre_ras, side: int, spacing: float) -> np.ndarray:
    """``centre_ras`` moved (by at most half a volume voxel) along each axis whose voxel size
    the ROI's spacing is a whole multiple of, so that a ``side``^3 ROI of ``spacing`` mm centred
    there has its voxels on the volume's voxel centres along it. At the volume's own spacing the
    ROI's voxels are then the volume's: the image and the answer are copied, not interpolated. An
    ROI centred on a voxel with an even number of voxels per edge otherwise falls half a voxel off
    the grid, and the two linear resamplings (image in, probability back) blur a 6 mm lesion's
    outline by a voxel (Dice 0.55-0.78 of the true mask after the round trip alone). Along other
    axes nothing lines up anyway, and the centre stays where the prompts put it."""
    affine = np.asarray(volume_affine, float)
    to_ijk = np.linalg.inv(affine)
    ijk = to_ijk[:3, :3] @ np.asarray(centre_ras, float) + to_ijk[:3, 3]
    step = spacing / np.linalg.norm(affine[:3, :3], axis=0)
    whole = (step >= 1 - 1e-3) & (np.abs(step - np.round(step)) < 1e-3)  # ROI voxels on voxels
    first = ijk - (side - 1) / 2.0 * step
    first[whole] = np.round(first[whole])
    ijk = first + (side - 1) / 2.0 * step
    return affine[:3, :3] @ ijk + affine[:3, 3]


def fov_mm(extent_mm: float, margin_mm: float) -> float:
    """The field of view (mm) that holds an object ``extent_mm`` long with its margin on each
    side: at least ``margin_mm``, a fifth of the object for large ones."""
    return float(extent_mm) + 2 * max(margin_mm, 0.2 * float(extent_mm))


def fit_spacing(fov: float, side: int, finest: float, coarsest: float) -> float:
    """The spacing (mm) at which ``side`` voxels cover ``fov`` mm, within ``finest .. coarsest``."""
    return float(np.clip(fov / side, finest, coarsest))


def _roi_points_in_volume(grid: RoiGrid, volume_affine: np.ndarray) -> np.ndarray:
    """Volume voxel coordinates (3, N) of every ROI voxel centre."""
    to_volume = np.linalg.inv(volume_affine) @ grid.ijk_to_ras
    idx = np.indices(grid.shape, dtype=np.float32).reshape(3, -1)
    return to_volume[:3, :3].astype(np.float32) @ idx + to_volume[:3, 3:4].astype(np.float32)


def inside_volume(grid: RoiGrid, volume_affine: np.ndarray, volume_shape) -> np.ndarray:
    """Which ROI voxels lie on the volume (their centres within half a voxel of its grid)."""
    coords = _roi_points_in_volume(grid, volume_affine)
    top = np.asarray(volume_shape[:3], np.float32)[:, None] - 0.5
    return np.all((coords >= -0.5) & (coords <= top), axis=0).reshape(grid.shape)


def sample_volume(array: np.ndarray, volume_affine: np.ndarray, grid: RoiGrid, order: int = 1,
                  cval: Optional[float] = None) -> np.ndarray:
    """``array`` (on the volume's grid) resampled into the ROI (float32; outside: ``cval`` or
    the nearest edge value). Only the part of ``array`` under the ROI is read."""
    coords = _roi_points_in_volume(grid, volume_affine)
    box = volume_box(grid, volume_affine, array.shape[:3])
    if box is None:
        return np.full(grid.shape, 0.0 if cval is None else cval, np.float32)
    lo, hi = box
    lo = np.maximum(np.asarray(lo) - 1, 0)
    hi = np.minimum(np.asarray(hi) + 1, np.asarray(array.shape[:3]))
    crop = np.asarray(array[tuple(slice(a, b) for a, b in zip(lo, hi))], dtype=np.float32)
    coords -= lo.astype(np.float32)[:, None]
    mode = "nearest" if cval is None else "constant"
    out = ndimage.map_coordinates(crop, coords, order=order, mode=mode,
                                  cval=0.0 if cval is None else cval, prefilter=False)
    return out.reshape(grid.shape)


def volume_box(grid: RoiGrid, volume_affine: np.ndarray, volume_shape) -> Optional[tuple]:
    """The box ``(lo, hi)`` of volume voxels whose centres can fall inside the ROI."""
    n = np.asarray(grid.shape) - 1
    corners = np.array([[a, b, c] for a in (0, n[0]) for b in (0, n[1]) for c in (0, n[2])], float)
    to_volume = np.linalg.inv(volume_affine) @ grid.ijk_to_ras
    ijk = corners @ to_volume[:3, :3].T + to_volume[:3, 3]
    lo = np.maximum(np.floor(ijk.min(0)).astype(int), 0)
    hi = np.minimum(np.ceil(ijk.max(0)).astype(int) + 1, np.asarray(volume_shape))
    if np.any(hi <= lo):
        return None
    return tuple(int(v) for v in lo), tuple(int(v) for v in hi)


def roi_to_volume(values: np.ndarray, grid: RoiGrid, volume_affine: np.ndarray, volume_shape):
    """ROI values resampled linearly onto the volume's voxels: ``(lo, region, covered)`` or
    ``None``. ``covered`` marks the voxels of the box whose centres lie in the ROI cube (between
    its first and last voxel centres); the others, on the box's faces, got no answer (0)."""
    box = volume_box(grid, volume_affine, volume_shape)
    if box is None:
        return None
    lo, hi = box
    shape = [b - a for a, b in zip(lo, hi)]
    idx = np.indices(shape, dtype=np.float32).reshape(3, -1)
    idx += np.asarray(lo, np.float32)[:, None]
    to_roi = grid.ras_to_ijk @ np.asarray(volume_affine, float)
    coords = to_roi[:3, :3].astype(np.float32) @ idx + to_roi[:3, 3:4].astype(np.float32)
    region = ndimage.map_coordinates(values.astype(np.float32), coords, order=1, mode="constant",
                                     cval=0.0, prefilter=False)
    top = np.asarray(grid.shape, np.float32)[:, None] - 1
    covered = np.all((coords >= -1e-3) & (coords <= top + 1e-3), axis=0)
    return lo, region.reshape(shape), covered.reshape(shape)


# -- prompt channels (ROI voxel coordinates) ----------------------------------------------------
def draw_balls(shape, points_ijk, radius_vox: float) -> np.ndarray:
    """1 within ``radius_vox`` of any of the points (fractional ROI voxel coordinates)."""
    out = np.zeros(shape, np.float32)
    points = np.asarray(points_ijk, float).reshape(-1, 3)
    if len(points) == 0:
        return out
    r = int(np.ceil(radius_vox))
    offsets = np.indices((2 * r + 1,) * 3).reshape(3, -1).T - r
    for p in points:
        base = np.rint(p).astype(int)
        cells = base + offsets
        keep = np.all((cells >= 0) & (cells < np.asarray(shape)), axis=1)
        cells = cells[keep]
        if len(cells) == 0:  # a prompt outside this ROI
            continue
        near = np.sum((cells - p) ** 2, axis=1) <= radius_vox ** 2 + 1e-6
        if not near.any():  # a radius below half a voxel still marks the nearest voxel
            near = np.sum((cells - p) ** 2, axis=1) == np.min(np.sum((cells - p) ** 2, axis=1))
        out[tuple(cells[near].T)] = 1.0
    return out


def draw_box(shape, corner_a, corner_b, u, v) -> np.ndarray:
    """1 on the rectangle spanned from ``corner_a`` to ``corner_b`` along unit in-plane directions
    ``u``, ``v`` (ROI voxel units), within half a voxel of its plane."""
    a = np.asarray(corner_a, float)
    d = np.asarray(corner_b, float) - a
    u, v = np.asarray(u, float), np.asarray(v, float)
    n = np.cross(u, v)
    su, sv = float(d @ u), float(d @ v)
    idx = np.indices(shape, dtype=np.float32).reshape(3, -1).T - a.astype(np.float32)
    s, t, w = idx @ u.astype(np.float32), idx @ v.astype(np.float32), idx @ n.astype(np.float32)
    inside = ((s - min(0.0, su) >= -0.5) & (s - max(0.0, su) <= 0.5) & (t - min(0.0, sv) >= -0.5)
              & (t - max(0.0, sv) <= 0.5) & (np.abs(w) <= 0.5 + 1e-6))
    return inside.reshape(shape).astype(np.float32)


def draw_polygon(shape, vertices, u, v) -> np.ndarray:
    """1 inside the closed polygon through ``vertices`` (ROI voxel coordinates, on the plane of
    unit in-plane directions ``u``, ``v``), within half a voxel of its plane (even-odd rule)."""
    vertices = np.asarray(vertices, float)
    u, v = np.asarray(u, float), np.asarray(v, float)
    n = np.cross(u, v)
    idx = np.indices(shape, dtype=np.float32).reshape(3, -1).T - vertices[0].astype(np.float32)
    near = np.abs(idx @ n.astype(np.float32)) <= 0.5 + 1e-6
    out = np.zeros(int(np.prod(shape)), bool)
    if not near.any():
        return out.reshape(shape).astype(np.float32)
    s, t = idx[near] @ u.astype(np.float32), idx[near] @ v.astype(np.float32)
    flat = (vertices - vertices[0]) @ np.stack([u, v]).T
    xa, ya = flat[:, 0], flat[:, 1]
    xb, yb = np.roll(xa, -1), np.roll(ya, -1)
    inside = np.zeros(len(s), bool)
    for x0, y0, x1, y1 in zip(xa, ya, xb, yb):
        crosses = (y0 > t) != (y1 > t)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x0 + (t - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (s < x_at)
    out[np.flatnonzero(near)[inside]] = True
    return out.reshape(shape).astype(np.float32)


def encode_prompts(grid: RoiGrid, prompts) -> np.ndarray:
    """Channels ``include, exclude, box`` (3, *grid.shape) of a :class:`PromptSet`."""
    out = np.zeros((3,) + tuple(grid.shape), np.float32)
    radius = CLICK_RADIUS_MM / grid.spacing
    for p in prompts.prompts:
        channel = 0 if p.include else 1
        if p.kind == "box":
            if p.include:
                u, v = (grid.direction_to_ijk(axis) for axis in p.axes)
                a, b = grid.to_ijk([p.corner_a, p.corner_b])
                np.maximum(out[2], draw_box(grid.shape, a, b, u, v), out=out[2])
            else:  # an exclude box: its frame says "not here", drawn as exclude
                out[1] = np.maximum(out[1], _box_outline(grid, p))
            continue
        if p.kind == "lasso":  # the enclosed region: box channel (include) or exclude
            u, v = (grid.direction_to_ijk(axis) for axis in p.axes)
            region = draw_polygon(grid.shape, grid.to_ijk(p.points_ras()), u, v)
            index = 2 if p.include else 1
            np.maximum(out[index], region, out=out[index])
            continue
        if p.kind == "scribble":
            r = max(p.width_mm / 2.0, 0.5 * grid.spacing) / grid.spacing
            pts = grid.to_ijk(p.points_ras(step_mm=0.5 * grid.spacing))
        else:
            r, pts = radius, grid.to_ijk(p.points_ras())
        drawn = draw_balls(grid.shape, pts, r)
        if getattr(p, "axes", None) is not None:  # a scribble on the plane it was drawn on
            u, v = (grid.direction_to_ijk(axis) for axis in p.axes)
            drawn *= near_plane(grid.shape, pts[0], u, v)
        np.maximum(out[channel], drawn, out=out[channel])
    return out


def near_plane(shape, point, u, v) -> np.ndarray:
    """1 within half a voxel of the plane through ``point`` spanned by ``u``, ``v`` (voxel
    coordinates of a grid of ``shape``)."""
    n = np.cross(np.asarray(u, float), np.asarray(v, float))
    n /= np.linalg.norm(n) or 1.0
    idx = np.indices(shape, dtype=np.float32).reshape(3, -1).T - np.asarray(point, np.float32)
    return (np.abs(idx @ n.astype(np.float32)) <= 0.5 + 1e-6).reshape(shape).astype(np.float32)


def _box_outline(grid: RoiGrid, p) -> np.ndarray:
    u, v = (grid.direction_to_ijk(axis) for axis in p.axes)
    a, b = grid.to_ijk([p.corner_a, p.corner_b])
    return draw_box(grid.shape, a, b, u, v)


def touches_border(mask: np.ndarray, margin: int = 1) -> list[tuple[int, int]]:
    """The faces ``(axis, side)`` (side 0: low, 1: high) that ``mask`` reaches within ``margin``."""
    faces = []
    for axis in range(3):
        for side in (0, 1):
            index = [slice(None)] * 3
            index[axis] = slice(0, margin) if side == 0 else slice(-margin, None)
            if mask[tuple(index)].any():
                faces.append((axis, side))
    return faces


def bounding_box_vox(mask: np.ndarray):
    idx = np.argwhere(mask)
    if len(idx) == 0:
        return None
    return idx.min(0), idx.max(0)
