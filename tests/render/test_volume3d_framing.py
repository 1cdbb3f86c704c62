"""R (reset) frames the volume's bounding sphere: a tightly cropped image (nibabel's example
``anatomical.nii``, ``functional.nii``: the head to the edges of the grid) stays in view at any
rotation. It filled the view edge to edge, and rotating pushed its corners out."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from nibabel.testing import data_path

from neuroview.io.nifti import load_nifti
from neuroview.render.orientation_marker import MARKER_FRACTION
from neuroview.render.volume3d import Scene3D

WIDTH, HEIGHT = 240, 180
BACKGROUND = np.array([0.08, 0.08, 0.12]) * 255
EDGE = 3   # frame pixels along each edge that stay background


def _edges_drawn(rgb: np.ndarray) -> int:
    """Pixels of the frame's edge bands that are not background, the orientation marker's
    lower-left corner left out."""
    drawn = np.abs(rgb.astype(float) - BACKGROUND).sum(axis=2) > 30
    height, width = drawn.shape
    corner = int(round(min(width, height) * MARKER_FRACTION)) + 2
    drawn[height - corner:, :corner] = False   # the orientation marker
    inner = drawn.copy()
    inner[EDGE:height - EDGE, EDGE:width - EDGE] = False
    return int(inner.sum())


@pytest.mark.parametrize("name", ["anatomical.nii", "functional.nii"])
def test_reset_frames_a_tight_image_so_that_any_rotation_stays_in_view(name):
    volume = load_nifti(Path(data_path) / name)
    scene = Scene3D(WIDTH, HEIGHT)
    try:
        scene.set_volume(volume, preset="MR default")
        scene.set_preset("MR default")
        scene.reset_camera()
        front = scene.render(WIDTH, HEIGHT)
        drawn = np.abs(front.astype(float) - BACKGROUND).sum(axis=2) > 30
        assert drawn.mean() > 0.08, "the volume is drawn, not a dot"
        for azimuth, elevation in ((45, 0), (0, 45), (45, 45), (-45, 30)):
            scene.reset_camera()
            scene.renderer.GetActiveCamera().Azimuth(azimuth)
            scene.renderer.GetActiveCamera().Elevation(elevation)
            scene.renderer.GetActiveCamera().OrthogonalizeViewUp()
            scene.renderer.ResetCameraClippingRange()
            rgb = scene.render(WIDTH, HEIGHT)
            assert _edges_drawn(rgb) == 0, f"{name} turned {azimuth}/{elevation} degrees touches the edge"
    finally:
        scene.close()


def test_reset_frames_the_head_not_the_air_round_it():
    """A 120 mm head off-centre in a 256 mm grid of air (a scan's field of view): the grid's sphere
    drew the head 0.4 of the view high; the sphere round the head fills the view with it."""
    from neuroview.core.volume import Volume

    ijk = np.stack(np.meshgrid(*[np.arange(64)] * 3, indexing="ij"), axis=-1)
    array = np.where(np.linalg.norm(ijk - [40, 30, 36], axis=-1) < 15, 500.0, 3.0).astype(np.float32)
    array += np.random.default_rng(0).rayleigh(4.0, array.shape).astype(np.float32)   # the air's noise
    scene = Scene3D(WIDTH, HEIGHT)
    try:
        scene.set_volume(Volume(array, np.diag([4.0, 4.0, 4.0, 1.0])), preset="MR default")
        for azimuth in (0, 60):
            scene.reset_camera()
            scene.renderer.GetActiveCamera().Azimuth(azimuth)
            rgb = scene.render(WIDTH, HEIGHT)
            rows, cols = np.nonzero(np.abs(rgb.astype(float) - BACKGROUND).sum(axis=2) > 30)
            inside = (rows < HEIGHT - HEIGHT * MARKER_FRACTION - 2) | (cols > WIDTH * MARKER_FRACTION + 2)
            rows, cols = rows[inside], cols[inside]
            assert np.ptp(rows) > 0.8 * HEIGHT, "the head fills the view's height"
            assert abs(rows.mean() - HEIGHT / 2) < 5 and abs(cols.mean() - WIDTH / 2) < 5   # centred
            assert _edges_drawn(rgb) == 0
    finally:
        scene.close()
