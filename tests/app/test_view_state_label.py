"""Each slice view's corner names its slice as ``LETTER: mm`` (``I 9.3 mm`` read as 19.3 mm)."""

import numpy as np

from neuroview.app.view_state import ViewerState


def test_slice_labels_keep_the_letter_apart_from_the_number():
    state = ViewerState((20, 20, 20), np.diag([1.0, 1.0, 1.0, 1.0]), 100.0, 50.0)
    state.crosshair_ras = np.array([-3.5, 12.0, -9.3])
    assert state.slice_label("axial") == "I: 9.3 mm"
    assert state.slice_label("sagittal") == "L: 3.5 mm"   # RAS: x < 0 is the left
    assert state.slice_label("coronal") == "A: 12.0 mm"
