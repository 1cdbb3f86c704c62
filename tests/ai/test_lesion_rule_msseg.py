"""MSSEG-2016's lesion-wise detection rule (Commowick et al. 2018, animaSegPerfAnalyzer's alpha
0.10, beta 0.65, gamma 0.70) on hand-made masks whose answer follows from the rule. Until
session 33 a lesion was found when any predicted voxel touched it."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai.metrics import format_summary, lesion_metrics, match, summarize


def lesions(shape=(40, 40, 40)):
    truth = np.zeros(shape, bool)
    for x in (5, 15, 25):
        truth[x:x + 4, 5:9, 5:9] = True             # three 64-voxel lesions
    return truth


def test_one_region_over_several_lesions_finds_none_and_is_one_false_positive():
    truth = lesions()
    prediction = np.zeros_like(truth)
    prediction[2:38, 2:38, 2:38] = True              # half a small brain, every lesion inside
    m = lesion_metrics(prediction, truth, (1, 1, 1))
    assert (m["lesions"], m["found"], m["predicted"], m["false_positives"]) == (3, 0, 1, 1)
    assert m["f1"] == 0.0 and m["lesion_rule"] == "msseg2016"


def test_a_lesion_covered_under_a_tenth_is_missed_and_over_a_tenth_found():
    truth = lesions()
    prediction = np.zeros_like(truth)
    prediction[5, 5:9, 5:7] = True                   # 8 of 64 voxels: 12.5 %
    prediction[15, 5:9, 5] = True                    # 4 of 64: 6.25 %
    m = lesion_metrics(prediction, truth, (1, 1, 1))
    assert m["found"] == 1 and m["by_size"]["<5mm"] == [1, 3]
    # both regions lie inside a lesion, but each leaves more than 65 % of it unmarked
    assert m["predicted"] == 2 and m["false_positives"] == 2


def test_a_prediction_split_in_two_inside_one_lesion_is_one_found_and_two_true_positives():
    truth = lesions()
    prediction = np.zeros_like(truth)
    prediction[5:9, 5:9, 5] = prediction[5:9, 5:9, 7:9] = True   # 48 of 64 voxels, two parts
    m = lesion_metrics(prediction, truth, (1, 1, 1))
    assert (m["found"], m["predicted"], m["false_positives"]) == (1, 2, 0)
    assert m["precision"] == 1.0 and m["lesion_rule"] == "msseg2016"


def test_only_the_regions_that_make_up_gamma_of_the_overlap_must_stay_inside():
    truth = np.zeros((40, 40, 40), bool)
    truth[10:20, 10:20, 10:20] = True                # 1000 voxels
    inside = np.zeros_like(truth)
    inside[10:20, 10:20, 10:18] = True               # 800 voxels, all inside
    spill = np.zeros_like(truth)
    spill[10:20, 10:20, 19:24] = True                # 100 inside, 400 outside (80 %)
    m = lesion_metrics(inside | spill, truth, (1, 1, 1))
    assert m["found"] == 1                           # 800 of the 900 overlapping: over gamma
    bigger_spill = np.zeros_like(truth)
    bigger_spill[10:20, 10:20, 14:32] = True         # 600 inside, 1200 outside (67 %)
    small = np.zeros_like(truth)
    small[10:20, 10:20, 10:13] = True                # 300 inside
    assert lesion_metrics(bigger_spill | small, truth, (1, 1, 1))["found"] == 0


def test_match_works_on_the_overlapping_pairs_alone():
    # region 0 (10 voxels) lies inside lesion 0 (20) and marks half of it; region 1 (100 voxels)
    # holds all of lesion 1 (5) but is 95 % outside: lesion 1 is missed, region 1 is false
    found, hits = match([0, 1], [0, 1], [10, 5], [20, 5], [10, 100])
    assert found.tolist() == [True, False] and hits.tolist() == [True, False]


def test_summaries_name_their_rule_and_never_mix_two():
    truth = lesions()
    case = lesion_metrics(truth, truth, (1, 1, 1))
    summary = summarize([case])
    assert summary["lesion_rule"] == "msseg2016"
    assert format_summary(summary).endswith("F1 1.00 (MSSEG-2016 rule)")
    old = {key: value for key, value in case.items() if key != "lesion_rule"}
    assert format_summary(summarize([old])).endswith("(any-overlap rule)")
    with pytest.raises(ValueError, match="different lesion rules"):
        summarize([case, old])


def _plain_rule(own_labels, other_labels, alpha=0.10, beta=0.65, gamma=0.70) -> list[bool]:
    """animaSegPerfAnalyzer's loop, written plainly: each own component, its overlapping others
    by decreasing overlap, each tested for spilling outside until more than gamma is taken."""
    found = []
    for own in range(1, own_labels.max() + 1):
        inside = own_labels == own
        ids, counts = np.unique(other_labels[inside], return_counts=True)
        pairs = sorted(((c, i) for i, c in zip(ids, counts) if i), key=lambda p: (-p[0], p[1]))
        covered = sum(c for c, _ in pairs)
        ok, taken = covered > alpha * inside.sum(), 0
        for count, other in pairs:
            region = other_labels == other
            if (region & (own_labels == 0)).sum() > beta * region.sum():
                ok = False
                break
            taken += count
            if taken > gamma * covered:
                break
        found.append(bool(ok))
    return found


def test_the_counting_equals_the_rule_written_as_a_loop():
    import cc3d

    rng = np.random.default_rng(7)
    found = missed = hits = false = 0
    for _ in range(20):
        truth = np.zeros((24, 24, 24), bool)
        prediction = np.zeros_like(truth)
        boxes = [(rng.integers(0, 18, 3), rng.integers(2, 7, 3)) for _ in range(5)]
        # predicted boxes near the true ones (shifted, resized, one or two parts) and two anywhere
        guesses = [(low + rng.integers(-1, 2, 3), size + rng.integers(-1, 3, 3))
                   for low, size in boxes for _ in range(rng.integers(0, 3))]
        guesses += [(rng.integers(0, 20, 3), rng.integers(1, 5, 3)) for _ in range(2)]
        for mask, placed in ((truth, boxes), (prediction, guesses)):
            for low, size in placed:
                mask[tuple(slice(max(a, 0), max(a + b, 0)) for a, b in zip(low, size))] = True
        t = cc3d.connected_components(truth.astype(np.uint8), connectivity=26)
        p = cc3d.connected_components(prediction.astype(np.uint8), connectivity=26)
        m = lesion_metrics(prediction, truth, (1, 1, 1))
        assert m["found"] == sum(_plain_rule(t, p))
        assert m["predicted"] - m["false_positives"] == sum(_plain_rule(p, t))
        found, missed = found + m["found"], missed + m["lesions"] - m["found"]
        hits, false = hits + m["predicted"] - m["false_positives"], false + m["false_positives"]
    assert min(found, missed, hits, false) >= 10, (found, missed, hits, false)   # each outcome, often
