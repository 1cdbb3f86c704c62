"""The "smaller than a head" field-of-view check before brain extraction measures a gantry-tilted
grid's slice stack across its slice planes. It counted the sheared step from one slice's centre to
the next, 1 / cos(tilt) too long: a 78 mm stack at 15 degrees passed as 81 mm (the limit is 80)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai import preprocess
from neuroview.ai.preprocess import MIN_HEAD_FOV_MM, apply_preprocessing, field_of_view_mm
from neuroview.core.volume import Volume

TILT = np.deg2rad(15.0)
SHAPE = (160, 180, 16)           # 160 x 180 mm in plane; the third axis is the slab's


def _tilted(gap_mm: float) -> np.ndarray:
    """A gantry-tilted grid: 1 mm pixels, slice planes ``gap_mm`` apart, each shifted along A."""
    affine = np.eye(4)
    affine[:3, 2] = [0.0, gap_mm * np.tan(TILT), gap_mm]
    return affine


def _image() -> np.ndarray:
    return np.random.default_rng(0).uniform(100, 300, SHAPE).astype(np.float32)


def test_the_extent_of_a_tilted_stack_is_across_its_slices():
    assert field_of_view_mm(SHAPE, _tilted(4.9)) == pytest.approx([160, 180, 78.4])
    assert np.linalg.norm(_tilted(4.9)[:3, 2]) * SHAPE[2] > MIN_HEAD_FOV_MM[1]   # the sheared step


def test_a_tilted_stack_just_under_the_limit_is_too_small_for_brain_extraction():
    prepared = apply_preprocessing([{"step": "brain_extraction"}], [_image()], _tilted(4.9))
    assert prepared.notes == ["brain extraction skipped: the field of view (160 x 180 x 78 mm) is "
                              "smaller than a head"]


def test_a_tilted_stack_just_over_the_limit_is_not(monkeypatch):
    monkeypatch.setattr(preprocess, "looks_like_ct", lambda image: True)   # the next check: no network
    prepared = apply_preprocessing([{"step": "brain_extraction"}], [_image()], _tilted(5.1))
    assert len(prepared.notes) == 1
    assert prepared.notes[0].startswith("brain extraction skipped: the image is a CT")


def test_follow_up_brain_extraction_measures_the_tilted_stack_alike(monkeypatch):
    pytest.importorskip("torch")
    pytest.importorskip("deepbet")
    from neuroview.app.followup_brain import BRAIN_EXTRACTED, extract_brain

    under = Volume(_image(), _tilted(4.9), modality="MR")
    mask, how = extract_brain(under, device="cpu")
    assert mask is None and how == ("none (no brain extraction: the field of view, 160 x 180 x 78 mm, "
                                    "is smaller than a head)")
    made = np.ones(SHAPE, bool)
    monkeypatch.setattr(preprocess, "cached_brain_mask", lambda *args: made)   # no network run
    mask, how = extract_brain(Volume(_image(), _tilted(5.1), modality="MR"), device="cpu")
    assert mask is made and how == BRAIN_EXTRACTED
