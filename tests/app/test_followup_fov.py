"""The brain volume change counts the brain in the field of view both studies cover: a later
study whose field of view leaves out the top of the head read a brain loss of several percent,
stated with a repeatability of 0.012 % (s26 walk: a sagittal baseline against an oblique
follow-up of one unchanged head read -3.20 %)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.followup import StudyInput, compare
from neuroview.app.followup_brain import brain_mask_by_threshold, brain_volume_ml
from tests.app.followup_cases import grid, rigid, sample


def study(mni_volume, spacing, pose, top_cut_mm: float = 0.0, scale: float = 1.0) -> StudyInput:
    """The template seen in ``pose`` on a grid of ``spacing`` whose top ``top_cut_mm`` is cut."""
    shape, affine = grid(mni_volume, spacing, (10.0, 10.0, 10.0))
    shape = (shape[0], shape[1], shape[2] - int(round(top_cut_mm / spacing[2])))
    truth = rigid(*pose, mni_volume.center_ras, scale=scale)
    image = sample(mni_volume, shape, affine, np.linalg.inv(truth))
    return StudyInput(image, affine, np.zeros(shape, np.uint8), brain_mask_by_threshold(image))


@pytest.mark.parametrize("scale", [1.0, 0.99])
def test_a_later_study_with_the_top_of_the_head_cut_reads_what_the_whole_head_reads(mni_volume, scale):
    """The same later study (pose, grid) with and without its top 75 mm: the same change, within
    0.05 percentage points on the unchanged head (the old code: -13.7 % against +0.2 %), 0.4 on
    the head shrunk by 3 % (a rigid registration cannot follow the shrinking to the cut)."""
    baseline = study(mni_volume, (2.0, 2.0, 2.0), ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)))
    pose = ((4.0, -3.0, 5.0), (3.0, -2.0, 4.0))
    whole = study(mni_volume, (2.2, 1.8, 2.0), pose, scale=scale)
    cut = study(mni_volume, (2.2, 1.8, 2.0), pose, top_cut_mm=75.0, scale=scale)
    # the cut is real: the later study's own brain mask holds far less brain
    assert brain_volume_ml(cut.brain, cut.ijk_to_ras, cut.image) < 0.9 * brain_volume_ml(
        whole.brain, whole.ijk_to_ras, whole.image)
    measured = compare(baseline, whole, partial_volume=True)
    expected = measured.brain_volume_change_pct
    assert expected == pytest.approx(100 * (scale ** 3 - 1), abs=0.5)
    assert not any("field of view" in note for note in measured.notes)
    cut_comparison = compare(baseline, cut, partial_volume=True)
    change = cut_comparison.brain_volume_change_pct
    # and it says so, with the share of the baseline's brain the later study does not show
    note, = (note for note in cut_comparison.notes if "field of view" in note)
    share = int(note.split("leaves out ")[1].split(" %")[0])
    assert note.startswith("the later study's field of view leaves out") and 10 <= share <= 40
    assert change == pytest.approx(expected, abs=0.05 if scale == 1.0 else 0.4)
