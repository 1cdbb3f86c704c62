"""Brain volume change with masks extracted by deepbet: two resamplings of one head (other pose,
voxel size and field of view; no real change), the first scan-rescan pair of ``bench/followup.py
--rescan-deepbet``. Each mask on its own study's grid reads a change of several percent; both
made on one grid halfway between them after registration (what ``compare`` does) read a few
hundredths of a percent."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("deepbet")

from neuroview.app.followup import brain_volume_change_pct, compare  # noqa: E402
from neuroview.app.followup_brain import BRAIN_EXTRACTED, extract_brain  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from tests.app.followup_cases import deepbet_rescans  # noqa: E402


def test_masks_made_on_one_grid_read_no_change_between_two_scans_of_one_head():
    scan = deepbet_rescans()
    baseline, rescan = scan("scan"), scan("rescan")
    assert baseline.brain_source == rescan.brain_source == BRAIN_EXTRACTED
    own_grids = brain_volume_change_pct(baseline, rescan)
    one_grid = compare(baseline, rescan, device="cpu").brain_volume_change_pct
    assert abs(own_grids) > 2.0  # the voxel sizes' doing: -3.7 % in our runs
    assert abs(one_grid) < 0.3, one_grid  # -0.014 % in our runs


def test_each_image_is_stripped_once_in_a_session(monkeypatch):
    """Segment on the T2 follow-up, then a follow-up comparison extracting the baseline and the
    follow-up again: deepbet runs once per image (the cache held only the last image, so the
    follow-up was stripped twice); an image that differs in one voxel is stripped anew."""
    from neuroview.ai import brain, brain_weights, preprocess

    calls = []

    def counted(image, ijk_to_ras, device="cpu", cancel=None):
        calls.append(float(np.sum(image)))
        mask = np.zeros(np.shape(image), bool)
        mask[10:-10, 10:-10, 10:-10] = True
        return mask, mask

    monkeypatch.setattr(brain, "brain_masks", counted)
    monkeypatch.setattr(brain_weights, "is_available", lambda: True)
    monkeypatch.setattr(preprocess, "_mask_cache", type(preprocess._mask_cache)())
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    rng = np.random.default_rng(0)
    baseline = Volume(rng.random((80, 80, 70), dtype=np.float32) * 100, affine)
    followup = Volume(rng.random((80, 80, 70), dtype=np.float32) * 100, affine)
    preprocess.apply_preprocessing([{"step": "brain_extraction"}], [followup.array], affine)  # Segment
    for volume in (baseline, followup):  # the comparison's studies
        mask, how = extract_brain(volume, "cpu")
        assert mask.sum() == 60 * 60 * 50
    assert len(calls) == 2
    extract_brain(baseline, "cpu")
    assert len(calls) == 2
    edited = followup.array.copy()
    edited[0, 0, 1] += 1.0  # one voxel no sample of the image would see
    extract_brain(Volume(edited, affine), "cpu")
    assert len(calls) == 3
