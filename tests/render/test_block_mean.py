"""Volumes over 256 voxels an axis are averaged down for the 3D view (``prepare3d.block_mean``),
not drawn from every n-th voxel: that aliased (stair-step stripes across a 512x512x600 CT's
spine). Checked as numbers: each voxel is its block's mean at its block's centre, and stripes
finer than the coarse grid fade instead of coming back as coarse stripes at full contrast, and
what lies at an image's far end stays there (the last block's part past the end counts as the
image's lowest value)."""

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
    assert mean[1, 1, 0] == np.rint(image[3:6, 3:6, 0:3].mean())
    # the last i block holds one plane of three: the other two, past the image, its lowest value
    assert mean[3, 0, 2] == np.rint((image[9:10, 0:3, 6:9].sum() + 18 * image.min()) / 27)
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


def test_a_blob_at_either_end_of_each_axis_stays_where_it_is():
    """A blob at the image's far corner, on axes of 33, 30 and 31 voxels in blocks of 4: its
    centre of intensity on the coarse grid was 0.36, 0.22 and 0.07 coarse voxel past its place,
    the last blocks' (1, 2 and 3 voxels) means put at whole blocks' centres; now under 0.1."""
    shape = (33, 30, 31)
    affine = np.array([[0.0, -0.7, 0, 20], [0.8, 0, 0, -5], [0, 0, 2.5, 40], [0, 0, 0, 1]])
    ijk = np.stack(np.meshgrid(*(np.arange(n) for n in shape), indexing="ij"), -1).astype(float)
    for centre in ((1.0, 1.0, 1.0), tuple(n - 1.0 for n in shape)):
        blob = np.rint(1000 * np.exp(-0.5 * (((ijk - centre) / 2.0) ** 2).sum(-1)))
        image = blob.astype(np.int16)
        mean, coarse = block_mean(image, affine, max_dim=9)
        assert mean.shape == (9, 8, 8)
        ras = geometry.apply_affine(affine, np.average(ijk.reshape(-1, 3), axis=0,
                                                       weights=blob.ravel()))
        grid = np.stack(np.meshgrid(*(np.arange(n) for n in mean.shape), indexing="ij"), -1)
        drawn = np.average(grid.reshape(-1, 3).astype(float), axis=0,
                           weights=mean.ravel().astype(float))
        off = drawn - geometry.apply_affine(np.linalg.inv(coarse), ras)   # coarse voxels
        assert np.abs(off).max() < 0.1, (centre, off)


def test_an_image_in_fortran_order_averages_to_the_same_blocks():
    """nibabel's arrays (a NIfTI read) are in Fortran order: averaged as their transpose (a slab of
    i-planes was strided across the whole array, 1.0 s instead of 0.1 s for a 512x512x64 CT time
    point, ``bench/cine_stop_stall.py``), the same blocks at the same places."""
    rng = np.random.default_rng(5)
    image = rng.integers(-1000, 2000, (10, 7, 9)).astype(np.int16)
    affine = np.array([[0.0, -0.7, 0, 20], [0.8, 0, 0, -5], [0, 0, 2.5, 40], [0, 0, 0, 1]])
    floats = image.astype(np.float32)
    floats[3:6, 3:6, 3:6] = np.nan
    for array in (image, floats):
        fortran = np.asfortranarray(array)
        assert fortran.flags.f_contiguous and not fortran.flags.c_contiguous
        wanted, wanted_affine = block_mean(array, affine, max_dim=4)
        mean, coarse = block_mean(fortran, affine, max_dim=4)
        assert mean.shape == wanted.shape and mean.dtype == wanted.dtype
        assert np.allclose(mean, wanted, equal_nan=True, rtol=1e-6) and np.array_equal(coarse, wanted_affine)
