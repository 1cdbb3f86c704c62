"""A model's context segment (the brain mask a card's brain extraction adds, hidden) fills only
background: it overwrote every unlocked segment inside the brain. On a walk, a lesion fixed with
AI click while *AI > Segment* ran was gone once the result landed: its voxels had become the
hidden brain segment's."""

from __future__ import annotations

import numpy as np

from neuroview.app.session import Session

NAMES = {1: "lesion", 2: "brain"}


def test_the_brain_segment_does_not_take_the_users_segments(small_image, tmp_path):
    s = Session.open(small_image, workspace=tmp_path / "ws")
    mine = s.segments.add("mine")
    s.apply("paint", at_ras=s.volume.center_ras, radius_mm=6, segment="mine")
    painted = s.labels.array == mine.value
    assert painted.sum() > 20
    labels = np.full(s.labels.shape, 2, np.uint8)             # brain everywhere ...
    labels[:5] = 1                                             # ... and a lesion far from 'mine'
    for _run in range(2):                                      # also when the model runs again
        s.apply_model_result(labels, NAMES, "m@1", hidden={2})
        assert np.array_equal(s.labels.array == mine.value, painted)
        brain = s.segments["brain"]
        assert not brain.visible
        assert np.array_equal(s.labels.array == brain.value, (labels == 2) & ~painted)
        assert np.array_equal(s.labels.array == s.segments["lesion"].value, labels == 1)
