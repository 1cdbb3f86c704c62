"""The click-correction rules of ai.interactive.local on a gantry-tilted (sheared) grid: the mask's
depth under a click and the reach around it are world distances between voxel centres. The
reference places every voxel centre in world space by the affine and pairs them by brute force
(scipy's k-d tree), on grids whose slice axis is sheared 25 and -20 degrees, and one untilted."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from neuroview.ai.interactive import PointPrompt, PromptSet
from neuroview.ai.interactive.local import anchor_prompt, corrected_parts
from neuroview.ai.interactive.roi import CLICK_RADIUS_MM

SHAPE = (44, 40, 20)


def _tilted(sizes, degrees) -> np.ndarray:
    """A gantry tilt: slice axis k sheared ``degrees`` toward j, the grid rotated 12 degrees about
    i and moved off the origin."""
    linear = np.diag(np.asarray(sizes, float))
    linear[1, 2] = sizes[2] * np.tan(np.radians(degrees))
    c, s = np.cos(np.radians(12)), np.sin(np.radians(12))
    affine = np.eye(4)
    affine[:3, :3] = np.array([[1, 0, 0], [0, c, -s], [0, s, c]]) @ linear
    affine[:3, 3] = (-20.0, 7.0, 31.0)
    return affine


GRIDS = [_tilted((0.6, 0.7, 2.5), 25), _tilted((0.8, 0.6, 3.0), -20), _tilted((0.6, 0.7, 2.5), 0)]
IDS = ["25deg", "-20deg", "straight"]


def _centres(affine, shape=SHAPE) -> np.ndarray:
    return np.indices(shape).reshape(3, -1).T @ affine[:3, :3].T + affine[:3, 3]


def _lesion(affine) -> np.ndarray:
    """An ellipsoid (world mm) with a thinner lobe: depths vary over the mask."""
    centres = _centres(affine)
    middle = centres.reshape(SHAPE + (3,))[22, 20, 10]
    body = np.linalg.norm((centres - middle) / (9.0, 7.0, 11.0), axis=1) <= 1
    lobe = np.linalg.norm((centres - middle - (6.0, 5.0, 0.0)) / (3.0, 8.0, 4.0), axis=1) <= 1
    return (body | lobe).reshape(SHAPE)


def _depth(mask, affine) -> np.ndarray:
    """Brute force: each mask voxel's world distance to the nearest voxel off the mask, the grid
    padded wide enough that the voxels past the box count as off it."""
    pad = 12
    grown = np.pad(mask, pad)
    centres = _centres(affine, grown.shape)
    distance, _ = cKDTree(centres[~grown.reshape(-1)]).query(centres)
    return distance.reshape(grown.shape)[pad:-pad, pad:-pad, pad:-pad]


@pytest.mark.parametrize("affine", GRIDS, ids=IDS)
def test_an_exclude_click_takes_the_voxels_within_its_radius_plus_the_depth_under_it(affine):
    """An exclude click on the lesion, the network's answer empty: what the click takes is the
    lesion's voxels whose centres lie within the click's radius plus the lesion's depth under the
    click (its world distance to the lesion's edge) of the clicked voxel's centre. On the tilted
    grids the old distance transform, weighted by the voxel sizes as if the axes were
    perpendicular, took another depth and another ball."""
    mask = _lesion(affine)
    clicked = (24, 23, 9)
    assert mask[clicked]
    point = affine[:3, :3] @ np.asarray(clicked, float) + affine[:3, 3]
    prompts = PromptSet([PointPrompt(tuple(point), include=False)])
    taken = corrected_parts(mask, np.zeros(SHAPE, bool), prompts, (0, 0, 0), affine)
    depth = _depth(mask, affine)[clicked]
    distance = np.linalg.norm(_centres(affine) - point, axis=1).reshape(SHAPE)
    expected = mask & (distance <= CLICK_RADIUS_MM + depth + 1e-6)
    tie = np.abs(distance - CLICK_RADIUS_MM - depth) < 1e-6
    assert expected.sum() > 100
    wrong = (taken != expected) & ~tie
    assert not wrong.any(), f"{int(wrong.sum())} voxels wrong of {int(expected.sum())}"


@pytest.mark.parametrize("affine", GRIDS, ids=IDS)
def test_the_anchor_of_an_exclude_click_is_the_deepest_voxel_out_of_its_reach(affine):
    """The include click put at the deepest voxel of the lesion out of the exclude's reach (radius
    plus depth under the click): that voxel's world depth is the largest of those voxels', and it
    lies out of reach, by brute force."""
    mask = _lesion(affine)
    clicked = (30, 30, 10)                                  # in the thinner lobe
    assert mask[clicked]
    point = affine[:3, :3] @ np.asarray(clicked, float) + affine[:3, 3]
    anchor = anchor_prompt(PromptSet([PointPrompt(tuple(point), include=False)]), mask, affine, 60.0)
    depth = _depth(mask, affine)
    reach = CLICK_RADIUS_MM + depth[clicked]
    distance = np.linalg.norm(_centres(affine) - point, axis=1).reshape(SHAPE)
    out_of_reach = mask & (distance > reach + 1e-6)
    ijk = np.linalg.solve(affine[:3, :3], np.asarray(anchor.p_ras) - affine[:3, 3])
    voxel = tuple(np.rint(ijk).astype(int))
    assert out_of_reach[voxel]
    assert depth[voxel] == pytest.approx(depth[out_of_reach].max(), abs=1e-6)
