"""The bundled model: a real trained model that reaches its card's Dice on cases made here.

The cases come from this test's own seeds (the training script used seeds 0.. for patches,
10000.. for validation and 20000.. for the card's test cases): whole heads with new lesions in
T1, T2 and FLAIR-like contrast (:func:`neuroview.ai.heads.lesion_head`), skull-stripped with
their true brain mask as the card's figures are, and run as a user runs them (the card's brain
extraction included). A second, different real brain (nibabel's ``anatomical.nii``, never used
in training) gets lesions from this test's seeds too.
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.volume import Volume
from neuroview.paths import resources_dir

pytest.importorskip("torch")

PACKAGE = resources_dir() / "models" / "lesionseg"
TEST_SEEDS = tuple(range(424_242, 424_248))  # 6 cases: T1, T2, FLAIR-like twice


def tolerance(per_case) -> float:
    """How far below the card's mean the mean of this test's cases may fall: two standard errors
    of a mean of ``len(TEST_SEEDS)`` cases, the spread taken from the card's own per-case Dice.
    Per-case Dice is heavy-tailed here (a case whose lesions are all a few millimetres scores 0),
    so a handful of cases scatters widely; a model that does not work (random weights, masks off
    the grid) scores about 0 and still fails."""
    return 2 * float(np.std(per_case)) / np.sqrt(len(TEST_SEEDS))


@pytest.fixture(scope="module")
def card():
    from neuroview.ai.package import read_card

    return read_card(PACKAGE)


def _dice(a, b) -> float:
    return float(2 * (a & b).sum() / max(a.sum() + b.sum(), 1))


def test_card_is_complete_and_weights_are_small(card):
    assert card.name == "lesionseg" and card.architecture == "unet3d"
    assert card.input_channels == ["T1"] and [lab.name for lab in card.labels] == ["lesion"]
    assert "neuroview train --synthetic" in card.training["recipe"]
    assert "MNI152" in card.training["data"]
    assert 0.0 < card.metrics["held_out_dice"]["lesion"] <= 1.0
    weights = PACKAGE / card.weights_file
    assert weights.stat().st_size < 20 * 2 ** 20
    from neuroview.ai.package import file_sha256

    assert file_sha256(weights) == card.training["weights_sha256"]


def test_reaches_its_card_dice_on_new_cases(card):
    from neuroview.ai import segment_volume
    from neuroview.ai.brain import dilate_mm
    from neuroview.ai.contrast import CONTRASTS
    from neuroview.ai.heads import lesion_head

    scores = []
    for index, seed in enumerate(TEST_SEEDS):
        case = lesion_head(seed, CONTRASTS[index % 3], int(card.target_spacing[0]))
        stripped = np.where(dilate_mm(case.brain, case.ijk_to_ras, 3.0), case.image, 0)
        volume = Volume(stripped.astype(np.float32), case.ijk_to_ras)
        labels, segments, model, device = segment_volume(volume, "lesionseg", device="cpu")
        assert labels.shape == case.label.shape and labels.dtype == np.uint8
        assert segments[0][:2] == (1, "lesion") and model == card.ref and device == "cpu"
        scores.append(_dice(labels == 1, case.label == 1))
    print("Dice on this test's cases:", [round(s, 3) for s in scores])
    expected = card.metrics["held_out_dice"]["lesion"]
    assert np.mean(scores) >= expected - tolerance(card.metrics["held_out_dice_per_case"])
    assert np.mean(scores) > 0.05


def test_generalises_to_a_different_real_brain(card):
    from neuroview.ai import segment_volume, synth

    other = synth.load_nibabel_anatomy()
    scores = []
    for seed in TEST_SEEDS:
        case = synth.make_case(other, seed, spacing=2.0, deform=False)  # its own 2 mm grid
        labels, *_ = segment_volume(Volume(case.image, case.ijk_to_ras), "lesionseg", device="cpu")
        scores.append(_dice(labels == 1, case.label == 1))
    print("Dice on the other brain:", [round(s, 3) for s in scores])
    expected = card.metrics["other_brain_dice"]["lesion"]
    assert np.mean(scores) >= expected - tolerance(card.metrics["other_brain_dice_per_case"])
    assert np.mean(scores) > 0.05
