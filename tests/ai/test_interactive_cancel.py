"""The AI click engine looks at its cancel token between the model's runs: an answer the window
stopped waiting for (Esc, the close: ``tests/ui/test_ai_click_cancel.py``) ends after the run in
progress, not after every round of a growing ROI. No torch: the grow-from-seeds backend."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.ai.interactive.engine import InteractiveSegmenter
from neuroview.ai.interactive.prompts import PointPrompt, PromptSet
from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken

AFFINE = np.diag([1.0, 1.0, 1.0, 1.0])


class _Cancelling(GrowPromptModel):
    """Answers "all object" (it reaches the ROI's border: the engine grows the ROI and runs
    again) and cancels ``token`` in its first run, as Esc during that run does."""

    def __init__(self, token):
        super().__init__()
        self.token, self.runs = token, 0

    def predict(self, inputs):
        self.runs += 1
        self.token.cancel()
        return np.ones(inputs.shape[1:], np.float32)


def _image():
    return np.full((64, 64, 64), 100.0, np.float32)


def test_a_cancel_during_a_run_ends_the_answer_before_the_next_round():
    prompts = PromptSet([PointPrompt((32.0, 32.0, 32.0), True)])
    uncancelled = _Cancelling(CancelToken())
    InteractiveSegmenter(_image(), AFFINE, uncancelled).run(prompts)
    assert uncancelled.runs > 1      # without a token it grows the ROI and runs again
    token = CancelToken()
    model = _Cancelling(token)
    with pytest.raises(Cancelled):
        InteractiveSegmenter(_image(), AFFINE, model).run(prompts, cancel=token)
    assert model.runs == 1


def test_a_cancelled_token_runs_no_model():
    token = CancelToken()
    token.cancel()
    model = _Cancelling(CancelToken())
    with pytest.raises(Cancelled):
        InteractiveSegmenter(_image(), AFFINE, model).run(
            PromptSet([PointPrompt((32.0, 32.0, 32.0), True)]), cancel=token)
    assert model.runs == 0
