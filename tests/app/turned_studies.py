"""Follow-up studies, one of them turned: helpers that test_followup_notes.py and the tests building on
it share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np

from neuroview.app.followup import StudyInput
from neuroview.app.followup_brain import brain_mask_by_threshold
from tests.app.followup_cases import grid, sample

TURNED = np.diag([1.0, -1.0, -1.0, 1.0])
"""A header that turns the head 180 degrees about the left-right axis (upside down)."""


def study(mni_volume, spacing, transform=np.eye(4), name="follow-up 1") -> StudyInput:
    shape, affine = grid(mni_volume, spacing)
    image = sample(mni_volume, shape, affine, np.linalg.inv(transform))
    return StudyInput(image, affine, np.zeros(shape, np.uint8), brain_mask_by_threshold(image), name)
