"""Small lesions after one click of the bundled promptable network.

At 1 mm the bundled network answers many 5-6 mm lesions as 7-8 mm blobs (2-4 times their
volume); the engine looks at a small answer again at 0.8 mm (``engine.SMALL_SPACING_MM``) and
averages the two. The lesions here are painted into the undeformed MNI template with the
bench's painter (5.5 mm each), from a seed that neither the bench, the training nor the card's
test objects use.
"""

import numpy as np
import pytest
from scipy import ndimage

from neuroview.ai.interactive.engine import InteractiveSegmenter
from neuroview.ai.interactive.model import NetworkPromptModel, bundled_path
from neuroview.ai.interactive.prompts import PointPrompt, PromptSet
from neuroview.ai.interactive.simulate import deepest_point, dice

pytestmark = pytest.mark.skipif(not (bundled_path() / "model.json").exists(), reason="no bundled clickseg")


@pytest.fixture(scope="module")
def small_lesions():
    """The MNI template at 1 mm with eight 5.5 mm lesions: ``(image, affine, [lesion masks])``."""
    from neuroview.ai.synth import (
        degrade,
        lesion_centres,
        load_mni_anatomy,
        make_anatomy_sample,
        paint_lesion,
    )

    rng = np.random.default_rng(70_000)
    case = make_anatomy_sample(load_mni_anatomy(), rng, spacing=1.0, deform=False, skull_strip_p=0.0)
    image, painted = case.image.copy(), np.zeros(case.image.shape, bool)
    for centre in lesion_centres(case.brain, 8, rng):
        paint_lesion(image, painted, case.brain, centre, 1.0, rng, diameter_mm=5.5)
    image = degrade(image, rng, case.stats.mean)
    parts, n = ndimage.label(painted)
    lesions = [parts == k for k in range(1, n + 1)]
    lesions = [m for m in lesions if 2 * (3 * m.sum() / (4 * np.pi)) ** (1 / 3) >= 4.5]
    return image, case.ijk_to_ras, lesions


def _one_click(segmenter, affine, lesion, ijk=None):
    ijk = deepest_point(lesion) if ijk is None else ijk
    result = segmenter.run(PromptSet([PointPrompt(affine[:3, :3] @ ijk + affine[:3, 3])]))
    answer = np.zeros(lesion.shape, bool)
    answer[result.slices] = result.mask()
    return answer


def test_one_click_on_a_small_lesion_is_not_answered_as_a_larger_blob(small_lesions):
    image, affine, lesions = small_lesions
    assert len(lesions) >= 6
    segmenter = InteractiveSegmenter(image, affine, NetworkPromptModel())
    answers = [_one_click(segmenter, affine, lesion) for lesion in lesions]
    scores = [dice(a, m) for a, m in zip(answers, lesions)]
    volume_ratio = [a.sum() / m.sum() for a, m in zip(answers, lesions)]
    # before the second look at 0.8 mm: Dice 0.756, the answer 1.42 times the lesion's volume
    # (median); with it 0.782 and 1.18 (6 of the 8 lesions closer, one 0.09 farther)
    assert np.mean(scores) >= 0.77, np.round(scores, 3)
    assert np.median(volume_ratio) <= 1.3, np.round(volume_ratio, 2)


class _FixedSizeModel:
    """A stand-in with the bundled network's fault in pure form: whatever the spacing, it answers
    a ball of 4 ROI voxels' radius around the include click, with a soft edge (4 mm at 1 mm,
    3.2 mm at 0.8 mm)."""

    name, spacing_mm, max_spacing_mm, min_side, divisor = "fixed-size", 1.0, 4.0, 32, 8

    def predict(self, inputs):
        centre = np.argwhere(inputs[1] > 0).mean(0)
        radius = np.sqrt(np.sum((np.indices(inputs.shape[1:]) - centre[:, None, None, None]) ** 2, 0))
        return (1 / (1 + np.exp((radius - 4.0) / 0.5))).astype(np.float32)


def test_a_small_answer_is_the_mean_of_the_answers_at_1_mm_and_0_8_mm():
    affine = np.eye(4)
    affine[:3, 3] = (-40.0, -30.0, -20.0)
    image = np.zeros((64, 64, 64), np.float32)
    click = np.array([31.0, 30.0, 33.0])
    answer = _one_click(InteractiveSegmenter(image, affine, _FixedSizeModel()), affine,
                        np.zeros(image.shape, bool), click)
    distance = np.sqrt(np.sum((np.indices(image.shape) - click[:, None, None, None]) ** 2, 0))
    # the 1 mm answer alone is the ball of voxels closer than 4 mm (out to 3.74 mm); the mean of
    # the 4 mm and 3.2 mm soft balls is above one half out to about 3.5 mm
    assert answer[distance <= 3.0].all()
    assert not answer[distance >= 3.6].any()
