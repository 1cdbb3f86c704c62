"""Volumes over 256 voxels an axis are averaged down for the 3D view (``prepare3d.block_mean``),
not drawn from every n-th voxel: that aliased (stair-step stripes across a 512x512x600 CT's
spine). Checked as numbers: each voxel is its block's mean at its block's centre, and stripes
finer than the coarse grid fade instead of coming back as coarse stripes at full contrast."""

from __future__ import annotations

import numpy as np

from neuroview.core import geometry
from neuroview.render.prepare3d import block_mean, subsample


def test_each_voxel_is_its_blocks_mean_at_its_blocks_centre():
    rng = np.random.default_rng(3)
    image = rng.integers(-1000, 2000, (10, 7, 9)).astype(np.int16)   # partial blocks on two axes
    affine = np.array([[0.0, -0.7, 0, 20], [0.8, 0, 0, -5], [0, 0, 2.5, 40], [0, 0, 0, 1]])
    mean, coarse = block_mean(image, affine, max_dim=4)   # step 3
    assert mean.shape == (4, 3, 3) and mean.dtype == np.int16
    assert mean[1, 2, 0] == np.rint(image[3:6, 6:7, 0:3].mean())
    assert mean[3, 0, 2] == np.rint(image[9:10, 0:3, 6:9].mean())
    centre = geometry.apply_affine(affine, np.array([4.0, 1.0, 7.0]))   # block (1, 0, 2)'s middle
    assert np.allclose(geometry.apply_affine(coarse, np.array([1.0, 0.0, 2.0])), centre)
    floats = image.astype(np.float32)
    floats[0, 0, 0] = np.nan
    floats[3:6, 3:6, 3:6] = np.nan
    mean, _ = block_mean(floats, affine, max_dim=4)
    assert np.isclose(mean[0, 0, 0], np.mean(image[0:3, 0:3, 0:3].ravel()[1:]))   # NaN left out
    assert np.isnan(mean[1, 1, 1])


def test_stripes_finer_than_the_coarse_grid_fade_instead_of_aliasing():
    i = np.arange(600, dtype=float)
    stripes = 1000 * np.sin(2 * np.pi * i / 2.5)   # 2.5 voxels a period, a step of 3 takes 3
    image = np.broadcast_to(stripes[:, None, None], (600, 4, 4)).astype(np.float32)
    every_third, _ = subsample(image, np.eye(4))
    averaged, _ = block_mean(image, np.eye(4))
    assert np.ptp(every_third[:, 0, 0]) > 1800          # coarse stripes at full contrast
    assert np.ptp(averaged[:, 0, 0]) < 0.25 * 2000       # a box filter's 0.21 of it
