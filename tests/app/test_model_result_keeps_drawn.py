"""A model's result fills background and the model segments only: the segments a person drew
(by hand or with AI click) keep their voxels. On a walk through the demo case, a lesion painted
by hand before *AI > Segment* lost 58 of its voxels to the model's 'lesion' without a word."""

from __future__ import annotations

import numpy as np

from neuroview.app.session import Session


def test_a_model_result_leaves_the_drawn_segments_alone(small_image, tmp_path):
    s = Session.open(small_image, workspace=tmp_path / "ws")
    mine = s.segments.add("mine")
    s.apply("paint", at_ras=s.volume.center_ras, radius_mm=6, segment="mine")
    painted = s.labels.array == mine.value
    assert painted.sum() > 20
    result = np.zeros(s.labels.shape, np.uint8)
    result[tuple(slice(a - 3, a + 4) for a in np.array(s.labels.shape) // 2)] = 1   # over 'mine'
    assert (painted & (result == 1)).sum() > 10 and (~painted & (result == 1)).sum() > 10
    for _run in range(2):                                      # also when the model runs again
        s.apply_model_result(result, {1: "lesion"}, "m@1")
        lesion = s.segments["lesion"].value
        assert np.array_equal(s.labels.array == mine.value, painted)
        assert np.array_equal(s.labels.array == lesion, (result == 1) & ~painted)
    s.undo()
    assert np.array_equal(s.labels.array == mine.value, painted)


def test_a_model_result_replaces_another_models_segment(small_image, tmp_path):
    """Only the person's segments are spared: a second model's lesion takes the voxels of the
    first model's (the overwrite policy, every unlocked segment, as before)."""
    s = Session.open(small_image, workspace=tmp_path / "ws")
    first = np.zeros(s.labels.shape, np.uint8)
    first[10:20, 10:20, 10:20] = 1
    s.apply_model_result(first, {1: "lesion"}, "a@1")
    second = np.zeros(s.labels.shape, np.uint8)
    second[15:25, 10:20, 10:20] = 1
    s.apply_model_result(second, {1: "edema"}, "b@1")
    edema = [seg for seg in s.segments if seg.name == "edema"][0].value
    assert np.array_equal(s.labels.array == edema, second == 1)
