"""With deepbet masks made on one grid, the brain volume change's repeatability is claimed only for
studies of one voxel size, or of unlike sizes no coarser than 1.5 mm: a 2 mm baseline against a
2.5 mm follow-up of an unchanged head read about -0.6 % (bench/followup_resolution.py, session 35),
five times the ±0.115 % it was stated with. The one-grid deepbet step is replaced here by a
fixed figure: what is checked is the claim, not deepbet (test_followup_bvc_resolution.py runs it)."""

from __future__ import annotations

import dataclasses

import pytest
from turned_studies import study

from neuroview.app import followup
from neuroview.app.followup import brain_change_line, compare
from neuroview.app.followup_brain import BRAIN_EXTRACTED


@pytest.fixture(scope="module", autouse=True)
def registered_once():
    """The 2 mm / 2.5 mm pair, compared by two tests, registered once
    (:func:`tests.registration_reuse.registrations_reused`): the claims here are not the
    registration's (test_followup.py checks it)."""
    from tests.registration_reuse import registrations_reused

    with registrations_reused({}) as reused:
        yield reused


@pytest.fixture
def one_grid_step(monkeypatch):
    monkeypatch.setattr(followup, "brain_volume_change_on_one_grid", lambda *a, **k: -0.6)


def _extracted(s):
    return dataclasses.replace(s, brain_source=BRAIN_EXTRACTED)


@pytest.mark.parametrize("baseline_mm, later_mm, claimed", [
    ((2.0, 2.0, 2.0), (2.5, 2.5, 2.5), False),    # measured -0.56 to -0.78 % unchanged
    ((2.0, 2.0, 2.0), (2.04, 2.0, 1.97), True),   # one voxel size (within 5 %)
    ((1.25, 1.25, 1.25), (1.5, 1.5, 1.5), True),  # unlike, no coarser than 1.5 mm
])
def test_deepbet_repeatability_by_voxel_size(mni_volume, one_grid_step, baseline_mm, later_mm, claimed):
    baseline = _extracted(study(mni_volume, baseline_mm, name="baseline"))
    later = _extracted(study(mni_volume, later_mm))
    comparison = compare(baseline, later, device="cpu")
    assert comparison.brain_volume_change_pct == -0.6
    line = brain_change_line(baseline, later, comparison)
    if claimed:
        assert comparison.bvc_repeatability_pct is not None and "(repeatability \u00b1" in line
    else:
        assert comparison.bvc_repeatability_pct is None
        assert line.endswith("(repeatability unknown: voxel sizes differ)")


def test_threshold_masks_keep_their_rule(mni_volume):
    """Threshold masks (skull-stripped images) keep the 1.5-times rule they were measured on."""
    baseline = study(mni_volume, (2.0, 2.0, 2.0), name="baseline")
    comparison = compare(baseline, study(mni_volume, (2.5, 2.5, 2.5)), partial_volume=True)
    assert comparison.bvc_repeatability_pct is not None
