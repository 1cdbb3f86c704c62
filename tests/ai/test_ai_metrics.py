"""Lesion-wise metrics on hand-made masks whose counts are known by construction."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroview.ai.metrics import equivalent_diameter_mm, format_summary, lesion_metrics, summarize


def ball(shape, centre, radius):
    grid = np.indices(shape).transpose(1, 2, 3, 0)
    return ((grid - np.asarray(centre)) ** 2).sum(-1) <= radius ** 2


def test_counts_sizes_false_positives_and_f1():
    shape = (60, 60, 60)
    small = ball(shape, (10, 10, 10), 1)        # 7 voxels at 1 mm: 2.4 mm
    medium = ball(shape, (30, 10, 10), 3)       # 123 voxels: 6.2 mm
    large = ball(shape, (30, 40, 30), 8)        # 12.7 mm ... 16 mm
    missed = ball(shape, (10, 50, 50), 3)       # medium, not found
    truth = small | medium | large | missed
    prediction = np.zeros(shape, bool)
    prediction |= ball(shape, (10, 10, 11), 1)  # 2 of its 7 voxels on the small lesion: 71 % outside
    prediction |= ball(shape, (31, 10, 10), 2)  # inside the medium one
    prediction |= large                          # exact
    prediction |= ball(shape, (50, 50, 10), 2)  # false positive 1
    prediction |= ball(shape, (50, 10, 50), 1)  # false positive 2
    m = lesion_metrics(prediction, truth, (1.0, 1.0, 1.0))
    # MSSEG-2016: the region shifted off the small lesion lies outside by more than beta (65 %),
    # so the small lesion is missed and that region is a false positive; the region inside the
    # medium lesion finds it (27 % covered, nothing outside) but leaves 73 % of it unmarked, more
    # than beta, so with the roles swapped that region is a false positive too
    assert m["lesions"] == 4 and m["found"] == 2 and m["sensitivity"] == pytest.approx(0.5)
    assert m["predicted"] == 5 and m["false_positives"] == 4 and m["precision"] == pytest.approx(0.2)
    assert m["f1"] == pytest.approx(2 * 0.5 * 0.2 / 0.7)
    assert m["by_size"] == {"<5mm": [0, 1], "5-10mm": [1, 2], ">10mm": [1, 1]}
    overlap = (prediction & truth).sum()
    assert m["dice"] == pytest.approx(2 * overlap / (prediction.sum() + truth.sum()))


def test_anisotropic_voxels_change_the_size_bin():
    shape = (30, 30, 30)
    truth = ball(shape, (15, 15, 15), 2)        # 33 voxels
    assert lesion_metrics(truth, truth, (1, 1, 1))["by_size"]["<5mm"] == [1, 1]
    assert lesion_metrics(truth, truth, (1, 1, 5))["by_size"]["5-10mm"] == [1, 1]
    assert equivalent_diameter_mm(33, (1, 1, 5)) == pytest.approx((6 * 165 / np.pi) ** (1 / 3))


def test_diagonal_neighbours_are_one_lesion():
    truth = np.zeros((10, 10, 10), bool)
    truth[2, 2, 2] = truth[3, 3, 3] = True      # 26-connected: one lesion
    m = lesion_metrics(np.zeros_like(truth), truth, (1, 1, 1))
    assert m["lesions"] == 1 and m["found"] == 0 and m["f1"] == 0.0 and m["false_positives"] == 0


def test_empty_cases_and_summary():
    empty = np.zeros((8, 8, 8), bool)
    clean = lesion_metrics(empty, empty, (1, 1, 1))
    # no truth lesion: no Dice (it was 1.0, so a model that finds nothing scored best there)
    # nor F1 (it was 1.0, or 0.0 with a false region): the case counts in false regions alone
    assert clean["dice"] is None and clean["f1"] is None and clean["sensitivity"] is None
    one = np.zeros((8, 8, 8), bool)
    one[2:4, 2:4, 2:4] = True
    hit = lesion_metrics(one, one, (1, 1, 1))
    alarm = lesion_metrics(one, empty, (1, 1, 1))
    summary = summarize([clean, hit, alarm])
    assert summary["cases"] == 3 and summary["lesions"] == 1 and summary["found"] == 1
    assert summary["sensitivity"] == 1.0
    assert summary["false_positives_per_case"] == pytest.approx(1 / 3, abs=1e-3)
    assert summary["per_case"]["false_positives"] == [0, 0, 1]
    assert summary["per_case"]["f1"] == [None, 1.0, None]
    assert summary["f1"] == 1.0 and summary["f1_cases"] == 1   # was the mean of 1, 1, 0: 0.67
    # Dice over the one case with a lesion; false regions still over all three
    assert summary["dice"] == 1.0 and summary["dice_cases"] == 1
    assert summary["per_case"]["dice"] == [None, 1.0, None]
    assert "Dice 1.00 (1 of 3 cases)" in format_summary(summary)
    assert summary["by_size"]["<5mm"] == {"found": 1, "lesions": 1, "sensitivity": 1.0}
    json.dumps(summary, allow_nan=False)  # goes on a card as it is: no NaN
    assert "found 1/1" in format_summary(summary) and "0.3 FP/case" in format_summary(summary)


def test_shape_mismatch_is_an_error():
    with pytest.raises(ValueError, match="differ in shape"):
        lesion_metrics(np.zeros((2, 2, 2), bool), np.zeros((3, 3, 3), bool), (1, 1, 1))


def test_a_cards_lesion_wise_summary_missing_figures_reads_with_question_marks():
    """``models compare`` / ``models show`` stopped with 'internal error: KeyError: by_size' on a
    card (from elsewhere) whose lesion-wise summary left a figure out; text in place of a
    number raised too."""
    assert format_summary({"f1": 0.5}) == "Dice ?, found ?/?, ? FP/case, F1 0.50 (any-overlap rule)"
    text = format_summary({"f1": 0.75, "dice": "high", "found": 3, "lesions": 4,
                           "by_size": {"<5mm": {"found": 1}}, "false_positives_per_case": 0.25})
    assert text == "Dice ?, found 3/4 (<5mm 1/?), 0.2 FP/case, F1 0.75 (any-overlap rule)"
