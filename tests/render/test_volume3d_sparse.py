"""An image whose bright part is under 0.5 % of its voxels (a lesion mask opened as an image, a
small object on an empty background) in the 3D view: the object is drawn and the empty voxels are
not. The MR ramp spans the 1st-99.5th percentiles, both the background value there: the whole box
was drawn as an opaque black cube hiding the object."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.volume import Volume
from neuroview.render.orientation_marker import MARKER_FRACTION
from neuroview.render.prepare3d import prepare_volume
from neuroview.render.volume3d import Scene3D

SIZE = 200
BACKGROUND = np.array([0.08, 0.08, 0.12]) * 255


def sparse_image(top: float) -> Volume:
    array = np.zeros((64, 64, 64), np.float32)
    ijk = np.stack(np.meshgrid(*[np.arange(64)] * 3, indexing="ij"), axis=-1)
    array[np.linalg.norm(ijk - [44, 32, 32], axis=-1) < 6] = top    # 0.35 % of the voxels
    array[np.linalg.norm(ijk - [16, 32, 32], axis=-1) < 3] = top    # and a smaller one at -R
    return Volume(array, np.diag([2.0, 2.0, 2.0, 1.0]))


@pytest.mark.parametrize("top", [1.0, 500.0])
def test_a_sparse_bright_object_is_drawn_and_its_empty_box_is_not(top):
    volume = sparse_image(top)
    assert prepare_volume(volume, "MR default").range == (0.0, top)
    scene = Scene3D(SIZE, SIZE)
    try:
        scene.set_volume(volume, "MR default")
        rgb = scene.render(SIZE, SIZE).astype(float)
    finally:
        scene.close()
    corner = int(SIZE * MARKER_FRACTION)
    rgb[SIZE - corner:, :corner] = BACKGROUND   # the orientation cube
    empty = np.abs(rgb - BACKGROUND).sum(axis=2) < 6
    # the object fills the view (framed since session 43), and the empty voxels round it, which
    # reach past the view's corners, are see-through (they were an opaque black cube)
    assert empty.mean() > 0.3 and all(empty[r, c] for r in (0, -1) for c in (0, -1))
    rows, cols = np.nonzero(rgb.sum(axis=2) > BACKGROUND.sum() + 60)
    assert rows.size > 30, "the object is drawn"
    assert cols.mean() < SIZE / 2 - 10, "seen from the front, the right (+R, the bigger) on the left"
