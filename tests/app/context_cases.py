"""A model run's segments on a small CT: a lesion and the model's brain (context, its mask the
extent), as the window applies them: helpers that test_context_rule.py and
test_seg_brain_hidden.py share (test modules import helpers from a helper module, never from
another test module)."""

from __future__ import annotations

import numpy as np

from neuroview.app.session import Session


def masks(shape):
    brain = np.zeros(shape, bool)
    brain[4:28, 4:24, 1:7] = True
    lesion = np.zeros(shape, bool)
    lesion[10:14, 8:12, 3:5] = True
    return brain, lesion


def model_run(volume) -> Session:
    """*AI > Segment*: lesion 1, brain 2 (context, its mask the extent), as the window applies it."""
    brain, lesion = masks(volume.shape)
    session = Session(volume)
    result = np.where(lesion, 1, np.where(brain, 2, 0)).astype(np.uint8)
    session.apply_model_result(result, {1: "lesion", 2: "brain"}, model="lesionseg@2.5.1",
                               hidden={2: brain})
    return session
