"""Ctrl+Z pressed while a brush stroke is still being drawn undoes that stroke only."""

import numpy as np

from neuroview import Session
from neuroview.core.volume import Volume


def test_undo_during_a_stroke_drops_the_stroke_and_keeps_the_step_before():
    image = np.full((40, 40, 12), 100.0, np.float32)
    s = Session(Volume(image, np.diag([1.0, 1.0, 2.0, 1.0])))
    try:
        s.segments.add("lesion")
        s.apply("paint", at_ras=(10.0, 10.0, 12.0), radius_mm=3.0, mode="2d")
        first_step = s.labels.array.copy()
        assert first_step.sum() > 0
        s.press("paint", (25.0, 25.0, 12.0), radius_mm=3.0, mode="2d")
        s.drag((30.0, 25.0, 12.0))
        assert (s.labels.array != first_step).any()   # the stroke in progress shows
        s.undo()
        np.testing.assert_array_equal(s.labels.array, first_step)  # the first step is still there
        s.release()                                   # the button comes up after Ctrl+Z
        np.testing.assert_array_equal(s.labels.array, first_step)
        s.undo()                                      # the next Ctrl+Z undoes the first step
        assert not s.labels.array.any()
        s.redo()
        np.testing.assert_array_equal(s.labels.array, first_step)
    finally:
        s.close()
