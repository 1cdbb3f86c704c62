"""A single-slice image (a localizer) in the 3D view: its slice drawn as a plane, face on. Ray
casting a volume one voxel thick drew nothing: the 3D view stayed empty."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.volume import Volume
from neuroview.render.flat import flat_axis
from neuroview.render.orientation_marker import MARKER_FRACTION
from neuroview.render.volume3d import Scene3D

SIZE = 200
BACKGROUND = np.array([0.08, 0.08, 0.12]) * 255


def _bright(rgb) -> np.ndarray:
    """Where the scene (the marker's corner left out) is much brighter than its background."""
    shown = rgb.astype(float).sum(axis=2) > BACKGROUND.sum() + 300
    corner = int(SIZE * MARKER_FRACTION)
    shown[SIZE - corner:, :corner] = False
    return shown


@pytest.mark.parametrize("shape, right_of, above, screen_side", [
    ((64, 64, 1), 0, 1, +1),    # axial, from above, anterior up: the patient's right on the right
    ((64, 1, 64), 0, 2, -1)])   # coronal, from the front, superior up: facing the patient
def test_a_single_slice_shows_face_on(shape, right_of, above, screen_side):
    """The block lies in the +R half and the +A (axial) or +S (coronal) half of the slice: it shows
    above the centre, on the side of the screen where the view puts the patient's right."""
    array = np.full(shape, 20.0, np.float32)
    block = [slice(0, 1)] * 3
    block[right_of] = slice(40, 60)
    block[above] = slice(36, 56)
    array[tuple(block)] = 400.0
    scene = Scene3D(SIZE, SIZE)
    try:
        scene.set_volume(Volume(array, np.diag([2.0, 2.0, 2.0, 1.0])), "MR default")
        assert scene.flat_axis == shape.index(1) and not scene.show_volume
        scene.update_planes(np.zeros(3), 400.0, 200.0)
        bright = _bright(scene.render(SIZE, SIZE))
        assert bright.sum() > 200, "the slice's bright block is drawn"
        rows, cols = np.nonzero(bright)
        assert screen_side * (cols.mean() - SIZE / 2) > 10 and rows.mean() < SIZE / 2 - 5
    finally:
        scene.close()


def test_only_an_image_of_one_slice_is_flat():
    assert flat_axis((64, 64, 1)) == 2 and flat_axis((1, 30, 40)) == 0
    assert flat_axis((64, 64, 2)) is None and flat_axis((1, 1, 40)) is None
