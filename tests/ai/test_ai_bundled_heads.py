"""The bundled model on whole heads with skull, made by this test (its own seeds, not the ones
bench/heads_eval.py measured the card's figures on): T1, T2-like and 1x1x5 mm T1, and issue #12's
own check (1 mm heads in a scanner's axis order with eight white-matter lesions 45 % brighter or
darker). It runs as a user runs it (the card's brain extraction first), reports nothing outside
the brain, and reaches the card's lesion-wise figures within a statistical tolerance. The brain
masks of that first step are checked here too (T1, T2, FLAIR-like and thick-slice heads with
skull), so that tests/ai/test_ai_brain.py need not extract heads of the same kinds again."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroview.core.volume import Volume
from neuroview.paths import resources_dir

pytest.importorskip("torch")
pytest.importorskip("deepbet")

PACKAGE = resources_dir() / "models" / "lesionseg"
SEEDS = (717_001, 717_002)
CARD_VARIANTS = sorted(json.loads((PACKAGE / "model.json").read_text())["metrics"]
                       .get("heads_lesionwise", {}))
MEASURED = [v for v in CARD_VARIANTS if not v.startswith("wm_")]
"""The variants bench/heads_eval.py measured for the card (t1, t2, flair, t1_5mm)."""
WM_MEASURED = [v for v in CARD_VARIANTS if v.startswith("wm_")]
"""Issue #12's check variants on the card (wm_t1, wm_t2, wm_flair, wm_t1_5mm): one head each here
(1 mm heads cost more)."""


@pytest.fixture(scope="module")
def card():
    from neuroview.ai.package import read_card

    return read_card(PACKAGE)


def tolerance(per_case, n: int) -> float:
    """Two standard errors of a mean of ``n`` cases, the spread taken from the card's cases
    (at least 0.05: the card's own sample is small too)."""
    return max(2 * float(np.std(per_case)) / np.sqrt(n), 0.05)


def test_card_has_figures_on_heads():
    assert {"t1", "t2", "flair", "t1_5mm"} <= set(MEASURED)


@pytest.fixture(scope="module")
def runs():
    """Each variant's heads (this test's seeds) run as a user runs them: per variant, the
    lesion-wise figures of each head, and per head the brain extraction's figures
    (:func:`_brain_figures`). Also checks that nothing lies outside the brain."""
    from neuroview.ai.heads import variant_case
    from neuroview.ai.metrics import lesion_metrics
    from neuroview.ai.segment import segment
    from neuroview.core.geometry import spacing_from_affine

    out = {variant: [] for variant in MEASURED + WM_MEASURED}
    brains = {}
    # seed by seed: the heads of one seed share its random fields (heads._random_fields keeps the
    # last seed's), each variant's cases in the seeds' order as before
    for seed in SEEDS:
        for variant in MEASURED + WM_MEASURED if seed == SEEDS[0] else MEASURED:
            case = variant_case(variant, seed)
            result = segment(Volume(case.image, case.ijk_to_ras), str(PACKAGE), "cpu")
            found = result.labels > 0
            assert result.brain_mask is not None
            # nothing beyond the card's 3 mm margin around the extracted brain, nor 6 mm from the true one
            assert _within_mm(found, result.brain_mask, case.ijk_to_ras, 3.0)
            assert _within_mm(found, case.brain, case.ijk_to_ras, 6.0)
            out[variant].append(lesion_metrics(found, case.label, spacing_from_affine(case.ijk_to_ras)))
            brains[variant, seed] = _brain_figures(variant, case, result.brain_mask)
    return out, brains


@pytest.fixture(scope="module")
def measured(runs):
    return runs[0]


@pytest.fixture(scope="module")
def brains(runs):
    return runs[1]


def _brain_figures(variant, case, mask) -> dict:
    """What brain extraction (the card's first step, :func:`neuroview.ai.brain.brain_mask`) made of
    a head: its Dice against the head's true brain; on issue #12's 1 mm heads (the template's
    brain on a scanner's axes, :func:`heads.reorient`) also the share of grey and white matter it
    left out, the shares of the mask more than 5 and 9 mm from the true brain (the scalp lies 7-13
    mm out), and the volumes (mL)."""
    from neuroview.ai import heads
    from neuroview.ai.brain import volume_ml

    figures = {"dice": float(2 * (mask & case.brain).sum() / (mask.sum() + case.brain.sum())),
               "on_the_grid": mask.shape == case.image.shape and mask.dtype == bool,
               "spacing": sorted(np.round(np.linalg.norm(case.ijk_to_ras[:3, :3], axis=0), 3)),
               "axes": np.argmax(np.abs(case.ijk_to_ras[:3, :3]), axis=0).tolist()}
    if variant in ("wm_t1", "wm_t2", "wm_flair"):
        brain, gm, wm, affine, distance, _ = heads._padded_template(18)
        assert np.array_equal(heads.reorient(brain, affine)[0], case.brain)   # the same grid
        tissue = heads.reorient((gm + wm) > 0.5, affine)[0]
        distance = heads.reorient(distance, affine)[0]
        figures.update(missed_tissue=float((tissue & ~mask).sum() / tissue.sum()),
                       beyond_5mm=float((mask & (distance > 5.0)).sum() / mask.sum()),
                       beyond_9mm=float((mask & (distance > 9.0)).sum() / mask.sum()),
                       ml=volume_ml(mask, case.ijk_to_ras), true_ml=volume_ml(case.brain, case.ijk_to_ras))
    return figures


def test_brain_extraction_on_a_t1_head_with_skull(brains):
    """(Was tests/ai/test_ai_brain.py's own run on a T1 head; these heads are extracted here
    anyway.) Issue #12's 1 mm T1 head with skull, on a sagittal scanner's axes: Dice >= 0.95,
    nothing of the scalp (7-13 mm out): no voxel beyond 9 mm, under 0.1 % of the mask beyond 5 mm
    (measured 0.02 %), the volume within 10 %."""
    figures = brains["wm_t1", SEEDS[0]]
    assert figures["axes"] != [0, 1, 2] and figures["on_the_grid"]    # stored off RAS order
    assert figures["dice"] >= 0.95
    assert figures["beyond_9mm"] == 0 and figures["beyond_5mm"] < 0.001
    assert abs(figures["ml"] - figures["true_ml"]) < 0.1 * figures["ml"]


@pytest.mark.parametrize("variant", ["wm_t2", "wm_flair"])
def test_brain_extraction_on_t2_and_flair_like_heads(brains, variant):
    """(Was tests/ai/test_ai_brain.py's own runs on T2 and FLAIR-like heads.) deepbet was trained
    on T1; alone on T2 it also took in the bright CSF around the brain and the skull under it
    (Dice 0.93). With the fold to T1-like contrast: Dice >= 0.95, at most 1 % of the grey and white
    matter left out, little skull base or scalp: under 0.2 % of the mask beyond 5 mm and 0.05 %
    beyond 9 mm (deepbet alone: 2.1 % and 0.5 % on T2). Issue #12's 1 mm heads, with its eight
    lesions and a scanner's axes and intensity scale, seed 717001 (bench/brain_eval.py was tuned on
    seeds 11 and 12)."""
    figures = brains[variant, SEEDS[0]]
    assert figures["dice"] >= 0.95
    assert figures["missed_tissue"] <= 0.01
    assert figures["beyond_5mm"] < 0.002 and figures["beyond_9mm"] < 0.0005


def test_brain_extraction_on_thick_slices(brains):
    """(Was tests/ai/test_ai_brain.py's own run on a T1 head in 1x1x5 mm slices, permuted and
    flipped.) T1 heads in 1x1x5 mm slices: issue #12's, its slices sagittal on a scanner's axes
    (permuted and flipped), and the card's two axial ones in RAS order: the mask lands on the
    thick grid's true brain, Dice >= 0.95 on each."""
    thick = [("wm_t1_5mm", SEEDS[0])] + [("t1_5mm", seed) for seed in SEEDS]
    for key in thick:
        assert brains[key]["spacing"] == [1.0, 1.0, 5.0], key
        assert brains[key]["dice"] >= 0.95, (key, brains[key]["dice"])
    assert brains[thick[0]]["axes"] != [0, 1, 2] and brains[thick[1]]["axes"] == [0, 1, 2]


@pytest.mark.parametrize("variants", ["heads", "issue"])
def test_bundled_model_on_heads_with_skull(card, measured, variants):
    """Pooled over the variants (T1, T2, FLAIR, 5 mm slices; per-head figures scatter too much for
    two heads a variant): the card's lesion-wise figures within their statistical tolerance."""
    from neuroview.ai.metrics import summarize

    names = MEASURED if variants == "heads" else WM_MEASURED
    if not names:
        pytest.skip("the card has no figures on issue #12's check heads")
    cases = [c for variant in names for c in measured[variant]]
    got = summarize(cases)
    card_cases = {m: [x for v in names for x in card.metrics["heads_lesionwise"][v]["per_case"][m]]
                  for m in ("dice", "f1", "false_positives")}
    expected = {m: float(np.mean(values)) for m, values in card_cases.items()}
    print({v: summarize(measured[v])["dice"] for v in names}, got["dice"], got["f1"],
          got["false_positives_per_case"], expected)
    assert got["dice"] >= expected["dice"] - tolerance(card_cases["dice"], len(cases))
    assert got["f1"] >= expected["f1"] - tolerance(card_cases["f1"], len(cases))
    fp_spread = tolerance(card_cases["false_positives"], len(cases))
    assert got["false_positives_per_case"] <= expected["false_positives"] + max(fp_spread, 1.0)


def test_each_contrast_and_thick_slices_find_lesions(measured):
    """The model reads every variant: some lesion found in each (1.2.0 found none on T1)."""
    for variant, cases in measured.items():
        assert sum(c["found"] for c in cases) >= 1, variant


def _within_mm(found, brain_mask, affine, mm) -> bool:
    """No voxel of ``found`` lies farther than ``mm`` from ``brain_mask``: ``found`` within
    ``dilate_mm(brain_mask, affine, mm)``. Only the found voxels outside the mask can fail, so the
    margin is grown on their box widened by ``mm`` (``ball_reach``; every mask voxel within ``mm``
    of them lies in it), not on the whole head's brain (two distance transforms of a 1 mm brain
    per head, ``test_within_mm_is_the_whole_grid_check`` compares the two)."""
    from neuroview.ai.brain import dilate_mm
    from neuroview.core.geometry import ball_reach

    outside = found & ~brain_mask
    if not outside.any():
        return True
    reach = np.floor(ball_reach(affine, mm) + 1e-9).astype(int) + 1
    low = np.maximum(np.argwhere(outside).min(axis=0) - reach, 0)
    high = np.argwhere(outside).max(axis=0) + reach + 1
    box = tuple(slice(a, b) for a, b in zip(low, high))
    return not (outside[box] & ~dilate_mm(brain_mask[box], affine, mm)).any()   # as dilate_mm's own box


def test_within_mm_is_the_whole_grid_check(rng):
    """The box-limited check above against the whole grid's (``found`` within ``dilate_mm`` of the
    whole brain mask, that dilation made once per grid and margin): stray voxels just inside and
    just beyond the margin, at the grid's edge, on anisotropic and sheared (gantry-tilted) grids."""
    from neuroview.ai.brain import dilate_mm

    sheared = np.diag([0.9, 1.1, 3.0, 1.0])
    sheared[1, 2] = 3.0 * np.tan(np.radians(20))
    for affine in (np.diag([1.0, 1.0, 1.0, 1.0]), np.diag([2.0, 1.0, 5.0, 1.0]), sheared):
        brain = np.zeros((40, 36, 24), bool)
        brain[8:30, 6:28, 4:18] = True
        margins = {mm: dilate_mm(brain, affine, mm) for mm in (2.0, 3.0, 6.0)}
        answers = set()
        for _ in range(60):
            found = brain & (rng.random(brain.shape) < 0.01)
            for _ in range(rng.integers(1, 4)):
                found[tuple(rng.integers(0, n) for n in brain.shape)] = True
            for mm, margin in margins.items():
                expected = not (found & ~margin).any()
                assert _within_mm(found, brain, affine, mm) == expected
                answers.add(expected)
        assert answers == {True, False}
