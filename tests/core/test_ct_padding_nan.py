"""Opening an image whose every voxel is NaN prints no Python warning on the console (it printed
``RuntimeWarning: All-NaN slice encountered`` and the source line, from the CT padding check,
on `neuroview snapshot` and the window alike)."""

from __future__ import annotations

import warnings

import numpy as np

from neuroview.core.ct_padding import padding_value


def test_an_all_nan_image_has_no_padding_and_warns_nothing():
    image = np.full((8, 9, 5), np.nan, np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert padding_value(image) is None


def test_nan_beside_padding_still_finds_it():
    image = np.full((40, 40, 6), 20.0, np.float32)
    image[:, :6], image[:, -6:] = -3024, -3024   # the padding along two edges
    image[20, 20, :] = np.nan
    assert padding_value(image) == -3024
