"""The simulated user's clicks (neuroview.ai.interactive.simulate) on the mask's box are the
clicks of the whole grid."""

import numpy as np
import pytest
from scipy import ndimage

from neuroview.ai.interactive.simulate import deepest_point, next_click


def whole_grid_distance(mask, spacing):
    """The distance of each mask voxel from outside it, outside the grid counting as outside."""
    return ndimage.distance_transform_edt(np.pad(mask, 1), sampling=spacing)[1:-1, 1:-1, 1:-1]


BOXES = ((slice(0, 4), slice(10, 20), slice(3, 7)),      # at the first face of one axis
         (slice(25, 30), slice(0, 24), slice(8, 12)),    # through a whole axis, at the last face
         (slice(0, 30), slice(0, 24), slice(0, 12)),     # the whole grid
         (slice(12, 14), slice(5, 6), slice(9, 10)))     # a sliver


@pytest.mark.parametrize("spacing", [(1.0, 1.0, 1.0), (0.8, 1.5, 3.0)])
@pytest.mark.parametrize("box", BOXES)
def test_the_deepest_point_is_the_whole_grids(rng, box, spacing):
    mask = np.zeros((30, 24, 12), bool)
    mask[box] = rng.random(mask[box].shape) < 0.8
    distance = whole_grid_distance(mask, spacing)
    point = deepest_point(mask, spacing)
    assert np.array_equal(point, np.unravel_index(int(np.argmax(distance)), mask.shape))
    for top in (0.5, 0.7):
        candidates = np.argwhere(distance >= top * distance.max())
        for seed in range(5):   # the same candidates in the same order: the same random pick
            picked = deepest_point(mask, spacing, np.random.default_rng(seed), top)
            expected = candidates[int(np.random.default_rng(seed).integers(len(candidates)))]
            assert np.array_equal(picked, expected)


def test_an_empty_mask_gives_the_first_voxel_or_any_voxel():
    mask = np.zeros((6, 5, 4), bool)
    assert np.array_equal(deepest_point(mask), [0, 0, 0])
    picked = deepest_point(mask, rng=np.random.default_rng(3), top=0.5)
    expected = np.argwhere(np.ones_like(mask))[int(np.random.default_rng(3).integers(mask.size))]
    assert np.array_equal(picked, expected)


def test_the_next_click_goes_to_the_deepest_voxel_of_the_largest_error(rng):
    truth = np.zeros((40, 30, 20), bool)
    truth[5:25, 4:20, 2:15] = True
    prediction = truth.copy()
    prediction[5:12, 4:20, 2:15] = False           # a missed slab: include
    prediction[30:33, 20:23, 15:18] = True         # a small leak
    point, include = next_click(truth, prediction)
    missed = truth & ~prediction
    assert include and np.array_equal(point, np.unravel_index(
        int(np.argmax(whole_grid_distance(missed, (1.0, 1.0, 1.0)))), truth.shape))
    assert next_click(truth, truth) is None
