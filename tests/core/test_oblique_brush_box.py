"""A 2D brush in a resliced view of an oblique series works on the voxel slices its plane passes
through: its box was as tall along the slice axis as a sphere of the brush's radius (40 voxel
slices where the plane cuts 12), and every voxel of it had its distance computed before the plane's
mask threw most away (a 50 mm brush on a tilted 1 mm grid: about 200 ms a mouse move,
``bench/oblique_brush.py``); now the box is narrowed to the plane and only its voxels are measured.
The voxels painted are the same: those the plane passes through within the radius in its plane."""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from neuroview.core.edit.brush import BrushGeometry


def test_the_box_holds_the_plane_and_the_voxels_are_those_within_the_radius():
    shape = (64, 64, 40)
    affine = np.eye(4)
    affine[:3, :3] = Rotation.from_euler("xyz", [0.25, -0.15, 0.3]).as_matrix()
    affine[:3, 3] = -affine[:3, :3] @ ((np.asarray(shape) - 1) / 2.0)
    normal, centre, radius = np.array([0.0, 0.0, 1.0]), np.array([1.3, -2.1, 0.4]), 20.0
    brush = BrushGeometry(affine, shape, radius, "2d", tuple(normal), centre, tuple(centre))
    (lo, hi), mask = brush.capsule(centre, centre)
    painted = np.zeros(shape, bool)
    painted[tuple(slice(a, b) for a, b in zip(lo, hi))] = mask
    # reference: every voxel centre within half its depth of the plane, within the radius in it
    ijk = np.stack(np.meshgrid(*map(np.arange, shape), indexing="ij"), -1).reshape(-1, 3)
    offset = ijk @ affine[:3, :3].T + affine[:3, 3] - centre
    depth = offset @ normal
    across = np.linalg.norm(offset - depth[:, None] * normal, axis=1)
    half = 0.5 * np.abs(affine[:3, :3].T @ normal).sum()
    wanted = ((np.abs(depth) <= half + 1e-6) & (across <= radius + 1e-6)).reshape(shape)
    wanted[tuple(np.rint(np.linalg.inv(affine)[:3] @ np.append(centre, 1)).astype(int))] = True
    np.testing.assert_array_equal(painted, wanted)
    # the box's voxel slices along the slice axis (k): about those painted, not a sphere's
    layers = np.flatnonzero(wanted.any(axis=(0, 1)))
    assert mask.shape[2] <= 2 * (layers[-1] - layers[0] + 1), (mask.shape, layers)   # 40 for 12


def test_the_plane_voxels_are_those_of_its_mask():
    """``ViewPlane.voxels`` (each line along the slice axis tested only near the plane) finds the
    voxels of ``np.nonzero(mask)`` on random grids, views and boxes."""
    from neuroview.core.edit.plane import ViewPlane

    rng = np.random.default_rng(1)
    for n in range(120):
        shape = tuple(int(s) for s in rng.integers(5, 30, 3))
        affine = np.eye(4)
        affine[:3, :3] = Rotation.from_euler("xyz", rng.normal(0, 0.4, 3)).as_matrix() @ \
            np.diag(rng.uniform(0.5, 2.0, 3))
        affine[:3, 3] = rng.normal(0, 5, 3)
        view = tuple(rng.normal(size=3)) if n % 2 else ("axial", "coronal", "sagittal")[n % 3]
        centre = affine[:3, :3] @ (np.asarray(shape) / 2 + rng.normal(0, 3, 3)) + affine[:3, 3]
        plane = ViewPlane(affine, shape, view, centre, centre)
        lo = tuple(int(a) for a in rng.integers(0, 3, 3))
        hi = tuple(int(s - a) for s, a in zip(shape, rng.integers(0, 3, 3)))
        mask = plane.mask(lo, hi)
        wanted = np.ones(tuple(b - a for a, b in zip(lo, hi)), bool) if mask is None else mask
        found = np.zeros_like(wanted)
        found[plane.voxels(lo, hi)] = True
        assert len(plane.voxels(lo, hi)[0]) == wanted.sum()   # each voxel once
        np.testing.assert_array_equal(found, wanted)
