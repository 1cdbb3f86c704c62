"""The 3D view's slice planes leave a CT's air transparent, as they do an MR's background: air
on a CT reads -1000 HU with the scanner's noise, and the planes' air was the image's 1st
percentile, inside that noise, so the air around a head CT was drawn as a black box around the
plane (pydicom's bad_sequence.dcm: black speckles; a 512x512 head CT: a black rectangle)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.view_state import ViewerState
from neuroview.core.volume import Volume
from neuroview.render.volume3d import Scene3D

SIZE = 160
BACKGROUND = np.array([0.08, 0.08, 0.12]) * 255


def _head_ct(noise_hu: float) -> Volume:
    """A 48 mm head (brain 35 HU in a 1000 HU skull) in air of -1000 HU with ``noise_hu``."""
    x = (np.arange(48) - 23.5) * 2.0
    r = np.linalg.norm(np.stack(np.meshgrid(x, x, x, indexing="ij")), axis=0)
    hu = np.where(r < 48, 1000.0, -1000.0)
    hu = np.where(r < 42, 35.0, hu)
    hu += np.random.default_rng(0).normal(0, noise_hu, hu.shape)
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    affine[:3, 3] = -47.0
    return Volume(np.rint(hu).astype(np.int16), affine, modality="CT", intensity_unit="HU")


@pytest.mark.parametrize("noise_hu", [0.0, 20.0])   # a phantom's flat air, a scanner's
def test_a_head_cts_air_is_transparent_around_the_planes(noise_hu):
    volume = _head_ct(noise_hu)
    scene = Scene3D(SIZE, SIZE)
    try:
        scene.set_volume(volume, "CT bone")
        scene.set_planes_visible(True)
        scene.update_planes(ViewerState.for_volume(volume).crosshair_ras, 80.0, 40.0)  # brain
        rgb = scene.render(SIZE, SIZE).astype(float)
    finally:
        scene.close()
    # the camera faces the coronal plane: the head's disc drawn in the middle (brain grey,
    # skull white), the corners of the plane's square (air) the scene's background
    centre = rgb[SIZE // 2 - 3:SIZE // 2 + 3, SIZE // 2 - 3:SIZE // 2 + 3].mean()
    assert centre > 60, centre
    drawn = np.abs(rgb - BACKGROUND).sum(axis=2) > 30
    rows, cols = np.nonzero(drawn[: SIZE * 3 // 4, SIZE // 4:])   # above the orientation cube
    assert rows.size
    black = rgb.sum(axis=2) < 15
    assert black.mean() < 0.01, f"{black.mean():.1%} of the view black: the air drawn as a box"
