"""The opening window of an image of one value: its value mid-grey on screen. Until session 35 a
constant image (whole numbers: window 1, level value + 0.5; or float) opened with its one value
at the window's bottom, drawn black, as if the image were empty (seen in a viewer walk)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.view_presets import auto_window_level
from neuroview.core.volume import Volume


@pytest.mark.parametrize("value", [7, 7.3, -12.5, 0])
def test_a_constant_image_opens_mid_grey(value):
    volume = Volume(np.full((8, 9, 10), value, np.float32), np.eye(4))
    window, level = auto_window_level(volume)
    shade = (value - (level - window / 2)) / window   # 0: black, 1: white, as the views map it
    assert window > 0 and shade == pytest.approx(0.5), (window, level)


def test_a_two_valued_mask_still_spans_both_values():
    array = np.zeros((8, 9, 10), np.uint8)
    array[2:5, 2:5, 2:5] = 1
    window, level = auto_window_level(Volume(array, np.eye(4)))
    assert (level - window / 2, level + window / 2) == (0.0, 1.0)
