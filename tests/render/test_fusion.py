"""An overlay series on another grid (oblique, LPS-stored, coarser, written by nibabel) drawn over
the slice where nibabel's affine puts its voxels: each pixel against nibabel's own data and affine
sampled at the pixel's RAS point; opacity 0 leaves the picture, 1 shows the overlay alone, 0.5
blends both."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from render_cases import BLOB_RAS, rotation_xyz
from scipy import ndimage

from neuroview.app.fusion import FusionLayer
from neuroview.app.view_state import ViewerState
from neuroview.render.fusion import hot_colors
from neuroview.render.slices import render_view

SIZE = 160
WINDOW, LEVEL = 1200.0, 600.0


@pytest.fixture(scope="module")
def overlay_file(tmp_path_factory):
    """A 'FLAIR': bright (1000) in a 12 mm ball at BLOB_RAS, a ramp along A elsewhere; stored
    oblique and LPS-flipped at 2.5 x 3 x 3.5 mm on a grid of its own."""
    from neuroview.io.nifti import load_nifti

    shape = (36, 30, 26)
    affine = np.eye(4)
    affine[:3, :3] = rotation_xyz(0.2, 0.1, -0.35) @ np.diag([-2.5, -3.0, 3.5])
    affine[:3, 3] = -affine[:3, :3] @ ((np.asarray(shape) - 1) / 2.0) + [3.0, -2.0, 4.0]
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing="ij"), axis=-1)
    p = ijk @ affine[:3, :3].T + affine[:3, 3]
    values = np.where(np.linalg.norm(p - BLOB_RAS, axis=-1) < 12, 1000.0, 5.0 * p[..., 1] + 300.0)
    path = tmp_path_factory.mktemp("fusion") / "flair.nii.gz"
    nib.save(nib.Nifti1Image(values.astype(np.float32), affine), path)
    return nib.load(path), load_nifti(path)


def _pixel_ras(geom):
    y, x = np.mgrid[0: geom.height, 0: geom.width]
    return geom.origin_ras + x[..., None] * geom.col_ras + y[..., None] * geom.row_ras


@pytest.mark.parametrize("plane", ["axial", "sagittal", "coronal"])
def test_overlay_pixels_follow_nibabels_affine(cases, overlay_file, plane):
    image, overlay = overlay_file
    volume, _ = cases["ras"]
    state = ViewerState(volume.shape, volume.ijk_to_ras, 300.0, 200.0)
    state.crosshair_ras = BLOB_RAS.copy()
    plain = render_view(volume, state, plane, SIZE, SIZE, annotations=False, crosshair=False).rgb
    state.fusion = FusionLayer(overlay, WINDOW, LEVEL, opacity=1.0)
    shown = render_view(volume, state, plane, SIZE, SIZE, annotations=False, crosshair=False).rgb
    geom = state.geometry(plane, SIZE, SIZE)
    ijk = _pixel_ras(geom) @ np.linalg.inv(image.affine)[:3, :3].T + np.linalg.inv(image.affine)[:3, 3]
    inside = np.all((ijk > 0.01) & (ijk < np.array(image.shape) - 1.01), axis=-1)
    expected = hot_colors(ndimage.map_coordinates(image.get_fdata(), np.moveaxis(ijk, -1, 0),
                                                  order=1, mode="nearest"), WINDOW, LEVEL)
    outside = np.any((ijk < -0.51) | (ijk > np.array(image.shape) - 0.49), axis=-1)
    assert inside.sum() > 3000 and outside.sum() > 1000
    assert np.abs(shown[inside].astype(int) - (expected[inside] + 0.5).astype(int)).max() <= 1
    np.testing.assert_array_equal(shown[outside], plain[outside])   # beyond its grid: the image
    x, y = np.floor(geom.ras_to_pixel(BLOB_RAS)).astype(int)
    assert tuple(shown[y, x]) == (255, 255, 128)   # the ball: 1000, 5/6 up the window: pale yellow
    assert tuple(plain[y, x])[0] == tuple(plain[y, x])[2]   # the image alone was grey there

    state.fusion.opacity = 0.0
    opacity_0 = render_view(volume, state, plane, SIZE, SIZE, annotations=False, crosshair=False).rgb
    np.testing.assert_array_equal(opacity_0, plain)
    state.fusion.opacity = 0.5
    half = render_view(volume, state, plane, SIZE, SIZE, annotations=False, crosshair=False).rgb
    blend = (plain[inside] * 0.5 + expected[inside] * 0.5)
    assert np.abs(half[inside] - blend).max() <= 1.5
    state.fusion.visible = False
    hidden = render_view(volume, state, plane, SIZE, SIZE, annotations=False, crosshair=False).rgb
    np.testing.assert_array_equal(hidden, plain)


def test_a_grey_overlay_at_full_opacity_is_the_overlay_drawn_as_an_image(cases, overlay_file):
    """Grey at 100 %: the pixels where the overlay lies are its own values windowed as the image
    is (``window_to_gray``, within a level: the table's 766 steps are in thirds of a grey level),
    so **O** flicks between the two series at one point."""
    from neuroview.render.slices import window_to_gray

    image, overlay = overlay_file
    volume, _ = cases["ras"]
    state = ViewerState(volume.shape, volume.ijk_to_ras, 300.0, 200.0)
    state.crosshair_ras = BLOB_RAS.copy()
    state.fusion = FusionLayer(overlay, WINDOW, LEVEL, opacity=1.0, colours="grey")
    shown = render_view(volume, state, "axial", SIZE, SIZE, annotations=False, crosshair=False).rgb
    geom = state.geometry("axial", SIZE, SIZE)
    inverse = np.linalg.inv(image.affine)
    ijk = _pixel_ras(geom) @ inverse[:3, :3].T + inverse[:3, 3]
    inside = np.all((ijk > 0.01) & (ijk < np.array(image.shape) - 1.01), axis=-1)
    grey = window_to_gray(ndimage.map_coordinates(image.get_fdata(), np.moveaxis(ijk, -1, 0),
                                                  order=1, mode="nearest"), WINDOW, LEVEL)
    assert inside.sum() > 3000
    assert np.abs(shown[inside].astype(int) - grey[inside][:, None]).max() <= 1
    assert np.ptp(shown[inside], axis=1).max() == 0   # grey: R = G = B
