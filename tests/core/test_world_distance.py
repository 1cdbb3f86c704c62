"""core.world_distance against brute force: every voxel centre placed in world space by the
affine, paired with the target's by a k-d tree over a grid padded wide enough."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from neuroview.core.world_distance import WorldDistance, distance_to, relevant_offsets


def _tilted(sizes, degrees, about=12) -> np.ndarray:
    """A gantry tilt: slice axis k sheared ``degrees`` toward j, the grid rotated about i."""
    linear = np.diag(np.asarray(sizes, float))
    linear[1, 2] = sizes[2] * np.tan(np.radians(degrees))
    c, s = np.cos(np.radians(about)), np.sin(np.radians(about))
    affine = np.eye(4)
    affine[:3, :3] = np.array([[1, 0, 0], [0, c, -s], [0, s, c]]) @ linear
    return affine


def brute(target, affine, beyond=False, pad=14) -> np.ndarray:
    grown = np.pad(target, pad, constant_values=beyond)
    world = np.indices(grown.shape).reshape(3, -1).T @ affine[:3, :3].T
    distance, _ = cKDTree(world[grown.reshape(-1)]).query(world)
    return distance.reshape(grown.shape)[pad:-pad, pad:-pad, pad:-pad]


GRIDS = {"0.5x0.5x5 30deg": _tilted((0.5, 0.5, 5.0), 30), "0.8x0.9x2.5 -20deg": _tilted((0.8, 0.9, 2.5), -20),
         "1 mm 45deg": _tilted((1.0, 1.0, 1.0), 45), "0.7x1.3x3 straight": _tilted((0.7, 1.3, 3.0), 0)}


@pytest.mark.parametrize("name", GRIDS)
def test_distance_to_is_the_world_distance_of_the_voxel_centres(name):
    """Each voxel's distance to a blob, to its outside (the mask's depth, the outside going on past
    the array), and within a limit, on steep and mild tilts and an untilted grid: equal to brute
    force to a micrometre, a steep tilt's nearest voxels lying beyond the 26 neighbours."""
    affine = GRIDS[name]
    rng = np.random.default_rng(3)
    mask = np.zeros((26, 24, 12), bool)
    mask[4:20, 3:21, 2:10] = rng.random((16, 18, 8)) < 0.8
    mask[0:2, 0:3, 10:12] = True                                   # at a corner
    assert np.allclose(distance_to(mask, affine), brute(mask, affine), atol=1e-6)
    depth = distance_to(~mask, affine, beyond=True)
    assert np.allclose(depth, brute(~mask, affine, beyond=True), atol=1e-6)
    assert np.all(depth[~mask] == 0) and np.all(depth[mask] > 0)
    limited = distance_to(mask, affine, limit=2.6)
    reference = brute(mask, affine)
    assert np.allclose(limited[reference <= 2.6], reference[reference <= 2.6], atol=1e-6)
    assert np.all(limited[reference > 2.6 + 1e-6] > 2.6)
    voxels = np.array([[10, 12, 5], [0, 0, 11], [25, 23, 0], [10, 12, 5]])
    assert np.allclose(WorldDistance(~mask, affine, beyond=True).at(voxels), depth[tuple(voxels.T)])


def test_no_target_is_infinitely_far():
    for affine in GRIDS.values():
        assert np.all(np.isinf(distance_to(np.zeros((5, 6, 7), bool), affine)))
        assert np.all(distance_to(np.ones((5, 6, 7), bool), affine) == 0)


def test_relevant_offsets_bound_the_voronoi_cell():
    """A point nearer to the origin than to every relevant offset's lattice point is nearer to the
    origin than to any lattice point: sampled around the origin on a steep tilt."""
    affine = GRIDS["0.5x0.5x5 30deg"]
    linear = affine[:3, :3]
    relevant = relevant_offsets(affine) @ linear.T
    assert len(relevant) < 27 and not np.any(np.all(relevant == 0, axis=1))
    rng = np.random.default_rng(0)
    points = rng.uniform(-4, 4, size=(20_000, 3))
    in_cell = np.all(points @ relevant.T <= 0.5 * np.einsum("ij,ij->i", relevant, relevant), axis=1)
    lattice = np.indices((21, 21, 9)).reshape(3, -1).T - (10, 10, 4)
    _, nearest = cKDTree(lattice @ linear.T).query(points)
    assert np.array_equal(in_cell, np.all(lattice[nearest] == 0, axis=1))


@pytest.mark.parametrize("sizes", [(1.0, 1.0, 1.0), (0.9375, 0.9375, 1.2), (1.0, 1.0, 5.0), (3.0, 0.7, 1.3),
                                   (0.5, 0.5, 0.5)])
def test_within_mm_is_the_distance_transforms_threshold(sizes):
    """The ball dilation on perpendicular axes (axis-aligned and rotated, its finest axis any of
    the three) marks exactly the voxels scipy's distance transform puts within each margin: blobs
    and lone voxels, margins whose ball has voxels exactly on its surface (3 mm and 1.5 mm on
    1 mm voxels, the root of 2), at the array's faces; a ball too wide for columns falls back to
    the distance transform, with the same voxels."""
    from scipy import ndimage

    from neuroview.core import world_distance

    rng = np.random.default_rng(7)
    target = ndimage.binary_opening(rng.random((36, 30, 26)) < 0.2) | (rng.random((36, 30, 26)) < 0.002)
    target[0, 5, 5] = target[-1, -1, 0] = True
    margins = (3.0, 1.0, 1.5, float(np.sqrt(2.0)), 2.4, 6.0, 0.3)
    c, s = np.cos(0.4), np.sin(0.4)
    for rotation in (np.eye(3), np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])):
        affine = np.eye(4)
        affine[:3, :3] = rotation @ np.diag(sizes)
        distance = ndimage.distance_transform_edt(~target, sampling=sizes)
        for mm, got in zip(margins, world_distance.within_mm(target, affine, margins)):
            assert np.array_equal(got, distance <= mm + 1e-6), (sizes, mm)
    columns = world_distance._ball_dilation(target, sizes, 6.0) is not None
    assert columns == (min(sizes) >= 0.7)     # 0.5 mm voxels: 6 mm is a ball of 441 columns
