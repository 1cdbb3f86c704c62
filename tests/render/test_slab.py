"""Thick-slab views: the MIP/MinIP/mean of a slab equals numpy's max/min/mean over the same voxels
(whose centres lie within half the thickness of the view's plane) on RAS and LPS grids, and
follows a dense numpy reference within interpolation on an oblique grid."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from render_cases import AFFINES, centred_affine, rotation_xyz
from scipy import ndimage

from neuroview.app.view_slab import Slab
from neuroview.app.view_state import ViewerState
from neuroview.core.volume import Volume
from neuroview.render.slab import sample_slab, slab_grid, slab_onto
from neuroview.render.slices import render_slice


def pixel_ijk(geom, ras_to_ijk, offset_mm=0.0) -> np.ndarray:
    """Voxel coordinates (3, h, w) of every pixel centre, ``offset_mm`` along the normal."""
    y, x = np.mgrid[0: geom.height, 0: geom.width]
    ras = geom.origin_ras + x[..., None] * geom.col_ras + y[..., None] * geom.row_ras
    ras = ras + offset_mm * geom.normal
    return np.moveaxis(ras @ ras_to_ijk[:3, :3].T + ras_to_ijk[:3, 3], -1, 0)


@pytest.fixture(scope="module")
def noisy():
    """Random voxels on a grid of unequal spacing (0.8 x 0.9 x 1.5 mm), stored LPS."""
    rng = np.random.default_rng(7)
    array = rng.integers(-1000, 2000, size=(40, 36, 30)).astype(np.int16)
    affine = np.diag([-0.8, -0.9, 1.5, 1.0])
    affine[:3, 3] = [20.0, 15.0, -20.0]
    return Volume(array, affine, modality="CT")


@pytest.mark.parametrize("plane", ["axial", "sagittal", "coronal"])
@pytest.mark.parametrize("mode, reduce", [("max", np.max), ("min", np.min), ("mean", np.mean)])
@pytest.mark.parametrize("thickness", [1.0, 4.5, 10.0])
def test_aligned_slab_is_numpy_over_the_same_voxels(noisy, plane, mode, reduce, thickness):
    state = ViewerState.for_volume(noisy)
    state.zoom_by(plane, 1.7)
    geom = state.geometry(plane, 90, 70)
    values, inside = sample_slab(noisy.array, noisy.ras_to_ijk, geom, thickness, mode, order=0)
    coords = pixel_ijk(geom, noisy.ras_to_ijk)
    axis = int(np.argmax(np.abs(noisy.ras_to_ijk[:3, :3] @ geom.normal)))
    centre = float(coords[axis].mean())
    spacing = abs(noisy.ijk_to_ras[:3, axis]).max()
    ks = [k for k in range(noisy.shape[axis]) if abs(k - centre) * spacing <= thickness / 2 + 1e-6]
    assert len(ks) == int(thickness / spacing / 2 + 1e-6) * 2 + 1
    index = np.clip(np.rint(coords), 0, np.array(noisy.shape)[:, None, None] - 1).astype(int)
    stack = []
    for k in ks:
        index[axis] = k
        stack.append(noisy.array[tuple(index)].astype(np.float64))
    expected = reduce(np.stack(stack), axis=0)
    assert inside.mean() > 0.5
    np.testing.assert_allclose(values[inside], expected[inside], rtol=1e-5, atol=1e-3)


def test_linear_slab_on_pixels_at_voxel_centres_is_numpy_max():
    """Smooth drawing (linear) of a MIP whose pixels fall on voxel centres: exactly the max."""
    rng = np.random.default_rng(3)
    array = rng.normal(size=(20, 20, 20)).astype(np.float32)
    volume = Volume(array, np.eye(4), modality="MR")
    state = ViewerState.for_volume(volume)
    geom = state.geometry("axial", 20, 20)   # 1 mm pixels on 1 mm voxels
    values, inside = sample_slab(array, volume.ras_to_ijk, geom, 6.0, "max", order=1)
    np.testing.assert_allclose(values, array[::-1, ::-1, 7:14].max(axis=2).T, atol=2e-3)
    assert inside.all()


@pytest.fixture(scope="module")
def tilted():
    """Smooth blobs on a CT-like -1000 background, on an oblique grid (2 mm voxels)."""
    affine = centred_affine(rotation_xyz(0.25, -0.15, 0.3))
    rng = np.random.default_rng(5)
    field = ndimage.gaussian_filter(rng.normal(size=(48, 48, 48)), 3.0)
    array = (-1000 + 1500 * (field - field.min()) / np.ptp(field)).astype(np.float32)
    array[:4] = -1000   # a band of air: a slab reaching outside must not read the 0 fill
    return Volume(array, affine, modality="CT")


@pytest.mark.parametrize("mode, reduce", [("max", np.nanmax), ("min", np.nanmin),
                                          ("mean", np.nanmean)])
def test_oblique_slab_follows_dense_numpy_reference(tilted, mode, reduce):
    state = ViewerState.for_volume(tilted)
    geom = state.geometry("coronal", 96, 96)
    values, inside = sample_slab(tilted.array, tilted.ras_to_ijk, geom, 10.0, mode)
    dense = []
    for offset in np.linspace(-5.0, 5.0, 41):   # every 0.25 mm through the 10 mm slab
        coords = pixel_ijk(geom, tilted.ras_to_ijk, offset)
        sample = ndimage.map_coordinates(tilted.array.astype(np.float64), coords, order=1,
                                         mode="nearest")
        out = np.any((coords < -0.5) | (coords > np.array(tilted.shape)[:, None, None] - 0.5), axis=0)
        dense.append(np.where(out, np.nan, sample))
    with warnings.catch_warnings():   # pixels whose every point lies outside: NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = reduce(np.stack(dense), axis=0)
    assert inside.mean() > 0.5
    # the outline within a pixel of the reference's (the grid's faces, where the reference keeps
    # the points whose rounded voxel exists)
    seen = np.isfinite(expected)
    rim = ndimage.binary_dilation(seen) & ~ndimage.binary_erosion(seen)
    assert not np.any((inside != seen) & ~rim)
    both = inside & seen
    error = np.abs(values[both] - expected[both])
    # within interpolation: planes about 2 mm apart against 0.25 mm, on a field of 1500 HU whose
    # blobs are some 6 mm wide, computed on the plane's grid at the voxels' 2 mm and drawn at
    # these 1.35 mm pixels from there (``slab_grid``: the same slab at any size); the last
    # percent lies along the grid's faces
    limit = 2.5 if mode != "mean" else 5.0
    assert np.median(error) < limit and np.percentile(error, 99) < 120.0
    thin = render_slice(tilted, geom, 1500, -250).rgb
    assert not np.array_equal(render_slice(tilted, geom, 1500, -250, slab=Slab(10.0, mode)).rgb, thin)


def test_oblique_slab_is_one_grid_at_every_size_zoom_and_pan(tilted):
    """An oblique slab is computed on its plane's grid, which the picture's size, zoom and pan do
    not change: the slab drawn at 96 x 96 and at 300 x 200 zoomed and panned are that one grid's,
    so a slab computed for a view is drawn for an export's tile without computing it again."""
    state = ViewerState.for_volume(tilted)
    small = state.geometry("coronal", 96, 96)
    grid = slab_grid(tilted.shape, tilted.ras_to_ijk, small)
    state.zoom_by("coronal", 1.7)
    state.pan_by("coronal", 13, -7, (300, 200))
    large = state.geometry("coronal", 300, 200)
    again = slab_grid(tilted.shape, tilted.ras_to_ijk, large)
    assert (again.width, again.height) == (grid.width, grid.height)
    for name in ("origin_ras", "col_ras", "row_ras"):
        np.testing.assert_array_equal(getattr(again, name), getattr(grid, name))
    on_grid = sample_slab(tilted.array, tilted.ras_to_ijk, grid, 10.0, "max")
    assert on_grid[0].shape == (grid.height, grid.width)
    for geom in (small, large):
        drawn = sample_slab(tilted.array, tilted.ras_to_ijk, geom, 10.0, "max")
        again = slab_onto(on_grid, grid, geom)
        np.testing.assert_array_equal(drawn[1], again[1])
        np.testing.assert_array_equal(drawn[0], again[0])
        assert drawn[1].mean() > 0.4


@pytest.mark.parametrize("mode", ["max", "mean"])
def test_slab_past_the_grid_reads_no_fill(tilted, mode):
    """A slab reaching past the image's last slice: the points outside do not count (a MIP of air
    on CT read the sampler's 0 fill as brighter than -1000)."""
    air = Volume(np.full(tilted.shape, -1000.0, dtype=np.float32), tilted.ijk_to_ras, modality="CT")
    state = ViewerState.for_volume(air)
    low, high = state.slice_range("axial")
    state.set_crosshair(state.crosshair_ras + (high - 3.0 - state.slice_position_mm("axial"))
                        * state.axes("axial")[2])
    values, inside = sample_slab(air.array, air.ras_to_ijk, state.geometry("axial", 64, 64), 20.0,
                                 mode)
    assert inside.sum() > 100
    np.testing.assert_allclose(values[inside], -1000.0, atol=1e-3)


def test_thin_when_off_and_title():
    volume = Volume(np.arange(8 ** 3, dtype=np.float32).reshape(8, 8, 8), AFFINES["ras"] / 6)
    geom = ViewerState.for_volume(volume).geometry("axial", 30, 30)
    thin = render_slice(volume, geom, 500, 250).rgb
    np.testing.assert_array_equal(render_slice(volume, geom, 500, 250, slab=Slab(0.0)).rgb, thin)
    assert Slab(10.0, "max").title() == "MIP 10 mm"
    assert Slab(2.5, "min").title() == "MinIP 2.5 mm" and Slab().title() == ""
    with pytest.raises(ValueError, match="slab mode"):
        Slab(5.0, "median")


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("mode, reduce", [("max", np.max), ("min", np.min), ("mean", np.mean)])
def test_reduce_along_every_axis_of_either_memory_order(order, mode, reduce):
    """The slice-by-slice reduction along the innermost axis equals numpy's."""
    from neuroview.render.slab import reduce_slab

    block = np.asarray(np.random.default_rng(2).integers(-900, 900, (19, 11, 7)), dtype=np.int16,
                       order=order)
    for axis in range(3):
        np.testing.assert_allclose(reduce_slab(block, axis, mode),
                                   reduce(block, axis=axis, keepdims=True), rtol=1e-6)


@pytest.mark.parametrize("order", ["C", "F"])
def test_nan_voxels_do_not_blank_the_slab(order):
    """A float image with NaN voxels (padding written as NaN): the slab skips them, as numpy's
    nanmax/nanmin/nanmean do, on both memory orders."""
    from neuroview.render.slab import reduce_slab

    block = np.asarray(np.random.default_rng(4).normal(size=(9, 8, 6)), dtype=np.float32,
                       order=order)
    block[2, :, 3] = np.nan
    block[:, 5, :] = np.nan          # a row NaN through the whole slab: stays NaN
    for axis in range(3):
        for mode, reduce in (("max", np.nanmax), ("min", np.nanmin), ("mean", np.nanmean)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = reduce(block, axis=axis, keepdims=True)
            np.testing.assert_allclose(reduce_slab(block, axis, mode), expected, rtol=1e-6)
