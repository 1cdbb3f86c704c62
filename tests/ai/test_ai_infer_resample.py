"""infer.resample_to_shape: the model's probabilities brought back onto the image's grid.

Linear upsampling runs in torch (a third of scipy's processor time on a 1 mm head); these tests
hold it to scipy's ``ndimage.zoom`` (grid mode, edges extended), the resampling it replaces:
the same float32 values on a head's grids, at most one float32 step apart on odd ratios (both
compute in float64, summing in another order)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from neuroview.ai import infer


def _scipy(array, shape):
    zoom = [t / s for t, s in zip(shape, array.shape)]
    return ndimage.zoom(array, zoom, order=1, mode="nearest", grid_mode=True, output=np.float32)


@pytest.mark.parametrize("source, target, exact", [
    ((135, 113, 117), (269, 225, 233), True),   # a 2 mm model grid back onto a 1 mm head
    ((117, 135, 113), (233, 269, 45), True),    # onto 1x1x5 mm slices: finer in-plane, coarser across
    ((7, 5, 3), (13, 11, 2), False),            # odd ratios, an axis shrinking to two voxels
    ((40, 1, 30), (80, 2, 61), False),          # a one-voxel axis
    ((6, 9, 4), (6, 9, 11), False),             # one axis only
])
def test_linear_upsampling_gives_scipys_values(source, target, exact, rng):
    array = rng.random(source).astype(np.float32)
    array[0, 0, 0], array[-1, -1, -1] = 0.0, 1.0          # the edges, extended outward
    got = infer.resample_to_shape(array, target, order=1)
    assert got.dtype == np.float32 and got.shape == target
    expected = _scipy(array, target)
    np.testing.assert_array_max_ulp(got, expected, maxulp=1)
    assert np.array_equal(got, expected) or not exact
    assert np.mean(got == expected) > 0.99


def test_downsampling_labels_and_other_shapes_stay_scipys(rng):
    """The input's way down (1 mm to the model's 2 mm) and nearest-neighbour labels go through
    scipy as before; an unchanged shape is the array itself."""
    image = rng.random((61, 50, 47)).astype(np.float32)
    assert np.array_equal(infer.resample_to_shape(image, (31, 25, 24), order=1), _scipy(image, (31, 25, 24)))
    labels = (rng.random((20, 16, 12)) * 3).astype(np.uint8)
    got = infer.resample_to_shape(labels, (40, 32, 24), order=0)
    assert got.dtype == np.uint8
    assert np.array_equal(got, ndimage.zoom(labels, 2.0, order=0, mode="nearest", grid_mode=True))
    assert infer.resample_to_shape(image, image.shape, order=1) is image


def test_probabilities_on_a_head_are_scipys(rng):
    """Smooth probabilities with a sharp lesion edge: the argmax of two resampled classes is the
    same voxels as scipy's (the labels a user sees)."""
    lesion = np.zeros((40, 36, 30), np.float32)
    lesion[12:22, 10:19, 8:15] = 1.0
    probability = ndimage.gaussian_filter(lesion, 1.5).clip(0, 1)
    background = 1.0 - probability
    target = (79, 71, 60)
    ours = [infer.resample_to_shape(p, target, order=1) for p in (background, probability)]
    theirs = [_scipy(p, target) for p in (background, probability)]
    assert np.array_equal(ours[1] > ours[0], theirs[1] > theirs[0])
    assert np.array_equal(ours[1], theirs[1]) and (ours[1] > ours[0]).sum() > 1000
