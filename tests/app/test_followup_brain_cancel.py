"""A Cancel given before deepbet starts stops the follow-up there: the cancel flag is checked
before each brain extraction (it was checked only after deepbet's first pass, so a Cancel
pressed while the images were read or resampled still ran a whole extraction first)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("deepbet")

from neuroview.app.followup import StudyInput, brain_volume_change_on_one_grid  # noqa: E402
from neuroview.app.followup_brain import extract_brain  # noqa: E402
from neuroview.core.errors import Cancelled  # noqa: E402
from neuroview.core.jobs import CancelToken  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402

GRID = np.diag([3.0, 3.0, 3.0, 1.0])   # 60 voxels of 3 mm: 180 mm, a head's field of view


def _head_sized(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(100, 500, (60, 60, 60)).astype(np.float32)


@pytest.fixture
def deepbet_runs(monkeypatch):
    """The extractions deepbet started (one entry each): what a Cancel must prevent."""
    import neuroview.ai.brain as brain

    runs = []

    def counted(image, ijk_to_ras, device="cpu", cancel=None, **_):
        runs.append(np.shape(image))
        mask = np.ones(np.shape(image), bool)
        return mask, mask

    monkeypatch.setattr(brain, "brain_masks", counted)
    return runs


def test_a_cancel_before_the_extraction_starts_runs_no_deepbet(deepbet_runs):
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        extract_brain(Volume(_head_sized(1), GRID), "cpu", "baseline", None, cancel)
    assert deepbet_runs == []


def test_a_cancel_after_the_first_halfway_extraction_stops_before_the_second(deepbet_runs):
    cancel = CancelToken()
    studies = [StudyInput(_head_sized(seed), GRID, np.zeros((60, 60, 60), np.uint8), None, name)
               for seed, name in ((2, "t1"), (3, "t2"))]

    def progress(done, total, text):
        if deepbet_runs:   # the user presses Cancel once the first extraction is under way
            cancel.cancel()

    with pytest.raises(Cancelled):
        brain_volume_change_on_one_grid(*studies, np.eye(4), "cpu", progress, cancel)
    assert len(deepbet_runs) == 1
