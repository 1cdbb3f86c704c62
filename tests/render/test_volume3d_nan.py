"""Images whose voxels are NaN: the slices draw NaN black, and an image with no finite voxel at
all gets one clear line from the 3D view instead of "internal error: IndexError"."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from neuroview.core.errors import NeuroviewError
from neuroview.core.volume import Volume
from neuroview.render.prepare3d import prepare_volume
from neuroview.render.slices import window_to_gray


def test_an_image_without_a_finite_voxel_is_refused_in_one_clear_line():
    volume = Volume(np.full((16, 16, 16), np.nan, np.float32), np.eye(4))
    with pytest.raises(NeuroviewError, match="every voxel of the image is NaN or infinite"):
        prepare_volume(volume, "MR default")


def test_an_image_with_some_nan_voxels_still_renders():
    array = np.zeros((16, 16, 16), np.float32)
    array[4:12, 4:12, 4:12] = 100.0
    array[:2] = np.nan
    data = prepare_volume(Volume(array, np.eye(4)), "MR default")
    assert np.isfinite(data.range).all()


def test_nan_voxels_are_drawn_black_without_an_invalid_cast():
    values = np.array([np.nan, 0.0, 50.0, 100.0], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gray = window_to_gray(values, 100.0, 50.0)
    assert gray.tolist() == [0, 0, 128, 255]
