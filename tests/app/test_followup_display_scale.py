"""The follow-up window (and the report's key slices) show a later MR at the baseline's intensity
scale: the same head 1.5 times brighter (another session's receiver gain) was drawn white at the
baseline's window and its subtraction lit up the whole head (s26 walk). A CT is left in its
Hounsfield units."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.followup import StudyInput
from neuroview.app.followup_display import later_on_baseline
from tests.app.followup_cases import grid, sample


@pytest.fixture(scope="module")
def head(mni_volume):
    shape, affine = grid(mni_volume, (3.0, 3.0, 3.0))
    return sample(mni_volume, shape, affine), affine


@pytest.mark.parametrize("gain", [1.5, 0.6])
def test_a_brighter_or_darker_mr_is_shown_at_the_baseline_scale(head, gain):
    image, affine = head
    lesions = np.zeros(image.shape, np.uint8)
    baseline = StudyInput(image, affine, lesions, ct=False)
    later = StudyInput(image * gain, affine, lesions, ct=False)
    shown, _ = later_on_baseline(baseline, later, np.eye(4))
    # the subtraction (later minus baseline) of the unchanged head is flat, mid-grey everywhere
    assert np.abs(shown - image).max() < 1e-3 * image.max()


def test_a_ct_keeps_its_hounsfield_units(head):
    image, affine = head
    lesions = np.zeros(image.shape, np.uint8)
    hu = image - 1000.0
    baseline = StudyInput(hu, affine, lesions, ct=True)
    later = StudyInput(hu + 30.0, affine, lesions, ct=True)   # 30 HU denser everywhere
    shown, _ = later_on_baseline(baseline, later, np.eye(4))
    assert np.allclose(shown, hu + 30.0, atol=1e-3)
