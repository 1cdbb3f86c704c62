"""Linear sampling of the slice views against scipy's ``map_coordinates(order=1)`` at the same
world points (an independent trilinear reference), on RAS, LPS and oblique grids, zoomed in, on
a plane between two voxel slices; labels stay nearest voxel (crisp)."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES, make_case
from scipy import ndimage

from neuroview.app.view_regions import sub_geometry
from neuroview.app.view_state import ViewerState
from neuroview.render.sampling import sample_plane
from neuroview.render.slices import render_slice, window_to_gray


def pixel_ijk(geom, ras_to_ijk) -> np.ndarray:
    """Voxel coordinates of every pixel centre, (3, h, w): from the geometry's own definition."""
    y, x = np.mgrid[0: geom.height, 0: geom.width]
    ras = geom.origin_ras + x[..., None] * geom.col_ras + y[..., None] * geom.row_ras
    return np.moveaxis(ras @ ras_to_ijk[:3, :3].T + ras_to_ijk[:3, 3], -1, 0)


@pytest.mark.parametrize("kind", ["ras", "lps", "oblique"])
@pytest.mark.parametrize("plane", ["axial", "sagittal", "coronal"])
def test_linear_sampling_equals_map_coordinates(kind, plane):
    volume, _ = make_case(AFFINES[kind])
    state = ViewerState.for_volume(volume)
    state.set_crosshair(state.center_ras + [3.3, -2.1, 1.7])     # between voxel slices
    state.zoom_by(plane, 5.0)                                      # several pixels per voxel
    geom = state.geometry(plane, 97, 83)
    values, inside = sample_plane(volume.array, volume.ras_to_ijk, geom, order=1)
    coords = pixel_ijk(geom, volume.ras_to_ijk)
    expected = ndimage.map_coordinates(volume.array.astype(np.float64), coords, order=1,
                                       mode="nearest")
    assert inside.mean() > 0.9
    assert values.dtype == np.float32
    # tie-break offset of 2e-4 mm at most, times a gradient of <= 100 per mm at the ball's edge
    np.testing.assert_allclose(values[inside], expected[inside], atol=0.05)
    part, _ = sample_plane(volume.array, volume.ras_to_ijk, sub_geometry(geom, 40, 30, 43, 33), order=1)
    np.testing.assert_allclose(part, values[30:33, 40:43], atol=1e-3)   # a brush dab's redraw
    nearest, _ = sample_plane(volume.array, volume.ras_to_ijk, geom, order=0)
    assert np.abs(nearest[inside] - expected[inside]).max() > 1.0 or kind == "oblique" \
        or plane == "sagittal"   # the reference tells linear from nearest (flat where no gradient)


def test_render_slice_image_smooth_labels_crisp():
    volume, labels = make_case(AFFINES["lps"])
    state = ViewerState.for_volume(volume)
    state.set_crosshair(np.array([14.0, -18.0, 10.6]))
    state.zoom_by("axial", 2.0)
    geom = state.geometry("axial", 160, 160)
    smooth = render_slice(volume, geom, state.window, state.level, interpolate=True).rgb
    blocky = render_slice(volume, geom, state.window, state.level, interpolate=False).rgb
    coords = pixel_ijk(geom, volume.ras_to_ijk)
    linear = ndimage.map_coordinates(volume.array.astype(np.float64), coords, order=1, mode="nearest")
    nearest = volume.array[tuple(np.clip(np.rint(coords), 0, 47).astype(int))]
    assert np.abs(smooth[..., 0].astype(int) - window_to_gray(linear, state.window, state.level)).max() <= 1
    clear = np.all(np.abs(coords - np.floor(coords) - 0.5) > 0.01, axis=0)   # no rounding ties
    assert clear.mean() > 0.3
    assert np.array_equal(blocky[..., 0][clear], window_to_gray(nearest, state.window, state.level)[clear])
    shown = render_slice(volume, geom, state.window, state.level, labels=labels, interpolate=True)
    label_nearest = labels.array[tuple(np.clip(np.rint(coords), 0, 47).astype(int))]
    assert (label_nearest > 0).sum() > 50
    assert np.array_equal(shown.labels[clear], label_nearest[clear])  # labels: nearest voxel
    assert set(np.unique(shown.labels)) == {0, 1}                   # no blended label values


@pytest.mark.parametrize("directions", [np.eye(3), np.diag([-1.0, -1.0, 1.0])])
def test_a_view_between_two_slices_draws_the_slice_the_tools_pick(directions):
    """The plane through a point halfway between two voxel slices draws the labels of the slice
    that Volume.ras_to_voxel (and so fill, the 2D brush and the status bar, also the uncertainty
    value it reads) picks there."""
    from neuroview.core import geometry
    from neuroview.core.volume import Volume

    shape = (18, 22, 26)
    affine = geometry.affine_from_spacing((2.0, 2.0, 2.0), (3.0, -5.0, 7.0), directions)
    volume = Volume(np.arange(np.prod(shape)).reshape(shape), affine)
    state = ViewerState(shape, affine)
    state.set_crosshair(volume.center_ras)   # halfway between two slices on every axis
    chosen = volume.ras_to_voxel(volume.center_ras)
    for plane, axis in (("axial", 2), ("coronal", 1), ("sagittal", 0)):
        geom = state.geometry(plane, 120, 100)
        drawn, inside = sample_plane(volume.array, volume.ras_to_ijk, geom, order=0)
        layers = {np.unravel_index(v, shape)[axis] for v in drawn[inside]}
        assert layers == {chosen[axis]}, plane
    # the uncertainty map's status-bar value there is the value of that same voxel
    from neuroview.app.uncertainty import UncertaintyMap

    heat = UncertaintyMap(volume.array.astype(np.float32), affine)
    assert heat.value_at(volume.center_ras) == float(volume.array[chosen])
