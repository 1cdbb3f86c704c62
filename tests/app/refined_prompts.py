"""A prompt model's refined result, as a fixture: helpers that test_prompting_model_refined.py and the
tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview import Session
from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.app.case import Case
from tests.dataset.fake_dicom import make_ct_series

MODEL = "lesionnet@1.0"


@pytest.fixture()
def refined(tmp_path):
    """A CT series whose 'lesion' a model proposed (a small cube inside the body), then one
    AI click include point on the body accepted into that segment."""
    folder = tmp_path / "ct"
    _datasets, array, _ijk_to_ras = make_ct_series(folder)
    case = Case(Session.open(folder))
    session = case.session
    proposal = np.zeros(session.labels.shape, np.uint8)
    proposal[14:18, 12:16, 3:5] = 1
    case.apply_model_result(proposal, {1: "lesion"}, MODEL)
    assert session.segments["lesion"].made_by == MODEL
    centre = session.volume.ijk_to_ras @ [16, 14, 4, 1]
    session.prompt("lesion", point=tuple(centre[:3]), model=GrowPromptModel())
    session.accept_preview()
    assert (session.labels.array == 1).sum() > proposal.sum()    # the click grew the model's mask
    return case, array
