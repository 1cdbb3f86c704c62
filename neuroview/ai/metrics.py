"""Lesion-wise metrics: what a radiologist checks, beside the voxel Dice.

Lesions are the 26-connected regions of a binary mask (cc3d). Which true lesions are *found* and
which predicted regions are *true positives* follows MSSEG-2016's detection rule as
animaSegPerfAnalyzer applies it (Commowick et al. 2018, Sci Rep 8:13650, "Detection"): a true
lesion is found when the predicted regions overlapping it cover more than :data:`ALPHA` of its
voxels and the regions that make up most of that overlap (taken by decreasing overlap until they
hold more than :data:`GAMMA` of it) each lie outside every true lesion by no more than :data:`BETA`
of their own voxels. The same rule with the roles swapped makes a predicted region a true
positive; the other regions are false positives. So one region over half the brain finds no
lesion and is one false positive, where the any-overlap rule (used until session 33; figures
without :data:`RULE_KEY` were measured with it) credited it with every lesion it touched.
Lesion-wise precision is the share of predicted regions that are true positives, sensitivity the
share of true lesions found, F1 their harmonic mean. Lesion size is the equivalent diameter
``(6 V / pi) ** (1/3)`` in mm, binned as < 5, 5-10 and > 10 mm.

Written here with cc3d (already a dependency) and numpy: no package in reach applies this rule
(``panoptica`` matches by IoU > 0.5 and pulls several extra packages; ``lesion-metrics`` and
``seg-metrics`` count any overlap; animaSegPerfAnalyzer is a C++ program, not a Python package).

Numpy + cc3d only: no Qt, no torch.
"""

from __future__ import annotations

import math
from typing import NamedTuple, Optional, Sequence

import numpy as np

from ..core.geometry import voxel_volume_mm3

SIZE_BINS = (("<5mm", 0.0, 5.0), ("5-10mm", 5.0, 10.0), (">10mm", 10.0, math.inf))
PER_CASE_KEYS = ("dice", "sensitivity", "false_positives", "f1")
ALPHA, BETA, GAMMA = 0.10, 0.65, 0.70
"""MSSEG-2016's defaults (animaSegPerfAnalyzer's -a, -b, -g): least share of a lesion covered,
most share of a contributing region outside, share of the overlap whose regions are tested."""
RULE_KEY = "lesion_rule"
"""The key that names the detection rule beside lesion-wise figures (cards, summaries)."""
LESION_RULE = "msseg2016"
ANY_OVERLAP = "any_overlap"
"""The rule of figures that name none (cards written before session 33)."""
RULE_NAMES = {LESION_RULE: "MSSEG-2016", ANY_OVERLAP: "any-overlap"}


def lesion_rule(figures) -> str:
    """The detection rule ``figures`` (a summary or a case's figures) were measured with."""
    rule = figures.get(RULE_KEY) if isinstance(figures, dict) else None
    return str(rule) if rule else ANY_OVERLAP


def rule_name(rule: str) -> str:
    return RULE_NAMES.get(rule, str(rule))


def _components(mask: np.ndarray):
    import cc3d

    labels = cc3d.connected_components(np.asarray(mask, bool).astype(np.uint8), connectivity=26)
    return labels, int(labels.max())


def equivalent_diameter_mm(voxels: int | np.ndarray, grid) -> np.ndarray:
    """The diameter of a ball of ``voxels`` voxels of ``grid`` (the ``ijk_to_ras`` affine, or an
    orthogonal grid's voxel sizes: :func:`neuroview.core.geometry.voxel_volume_mm3`)."""
    volume = np.asarray(voxels, float) * voxel_volume_mm3(grid)
    return np.cbrt(6.0 * volume / math.pi)


def size_bin(diameter_mm: float) -> str:
    for name, low, high in SIZE_BINS:
        if low <= diameter_mm < high:
            return name
    return SIZE_BINS[-1][0]


def dice_per_label(prediction: np.ndarray, truth: np.ndarray, n_labels: int) -> list[Optional[float]]:
    """Dice of each label 1..n; None where the truth has no voxel of the label, as nnU-Net and
    MONAI's ``DiceMetric(ignore_empty=True)`` leave such a case out (until session 40 it scored
    1.0 when the prediction was empty too, so a model that finds nothing scored best)."""
    scores: list[Optional[float]] = []
    for value in range(1, n_labels + 1):
        p, t = prediction == value, truth == value
        true_voxels = int(t.sum())
        scores.append(None if true_voxels == 0 else 2.0 * int((p & t).sum()) / (int(p.sum()) + true_voxels))
    return scores


def measured_mean(values) -> Optional[float]:
    """The mean of the values that were measured (not None); None when none was."""
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def mean_dice(scores: Sequence[Sequence[Optional[float]]], n_labels: int) -> tuple[list, list[int]]:
    """``(mean Dice per label, cases per label)`` of cases' :func:`dice_per_label`: each label's
    mean over the cases whose truth holds it (None where none does)."""
    columns = [[case[index] for case in scores] for index in range(n_labels)]
    return ([measured_mean(column) for column in columns],
            [sum(v is not None for v in column) for column in columns])


def rounded(value, digits: int = 4) -> Optional[float]:
    """``value`` rounded, None kept (a figure not measured: JSON has no NaN)."""
    return None if value is None else round(float(value), digits)


def dice_text(value, spec: str = ".3f") -> str:
    """A Dice as printed: ``0.812``, or ``not measured`` (no case held the label)."""
    return "not measured" if value is None else format(float(value), spec)


def overlap_pairs(true_labels: np.ndarray, pred_labels: np.ndarray, n_pred: int):
    """``(true ids, predicted ids, voxels)`` of every pair of components that overlap (ids from
    0: component ``i + 1``), counted in one pass over the voxels in both."""
    both = (true_labels > 0) & (pred_labels > 0)
    keys = true_labels[both].astype(np.int64) * (n_pred + 1) + pred_labels[both]
    keys, voxels = np.unique(keys, return_counts=True)
    true_ids, pred_ids = np.divmod(keys, n_pred + 1)
    return true_ids - 1, pred_ids - 1, voxels


def _detected(own, other, overlap, own_sizes, other_outside, other_sizes, alpha, beta,
              gamma) -> np.ndarray:
    """Which of the ``own`` components pass the rule against the ``other`` ones (pairs
    ``own[k]``, ``other[k]`` overlap by ``overlap[k]`` voxels; ``other_outside``: each other
    component's voxels outside every own one, of its ``other_sizes``)."""
    own_sizes = np.asarray(own_sizes, np.int64)
    covered = np.bincount(own, weights=overlap, minlength=len(own_sizes))
    found = covered > alpha * own_sizes
    if len(own) == 0:
        return found
    order = np.lexsort((other, -overlap, own))   # each own component's pairs, largest overlap first
    own, other, overlap = own[order], other[order], overlap[order]
    before = np.cumsum(overlap) - overlap
    starts = np.flatnonzero(np.r_[True, own[1:] != own[:-1]])
    before -= np.repeat(before[starts], np.diff(np.r_[starts, len(own)]))
    # animaSegPerfAnalyzer tests a pair unless the pairs before it already hold more than gamma
    tested = before <= gamma * covered[own]
    spills = tested & (other_outside[other] > beta * other_sizes[other])
    return found & (np.bincount(own[spills], minlength=len(own_sizes)) == 0)


def match(true_ids, pred_ids, overlap, true_sizes, pred_sizes, alpha: float = ALPHA,
          beta: float = BETA, gamma: float = GAMMA) -> tuple[np.ndarray, np.ndarray]:
    """MSSEG-2016's detection: ``(found, true_positive)``, one flag per true lesion and per
    predicted region, from the overlapping pairs (:func:`overlap_pairs`) and each component's
    voxels. A component with no pair holds every voxel outside the other mask."""
    true_ids, pred_ids = np.asarray(true_ids, np.int64), np.asarray(pred_ids, np.int64)
    overlap = np.asarray(overlap, np.int64)
    true_sizes, pred_sizes = np.asarray(true_sizes, np.int64), np.asarray(pred_sizes, np.int64)
    true_in = np.bincount(true_ids, weights=overlap, minlength=len(true_sizes))
    pred_in = np.bincount(pred_ids, weights=overlap, minlength=len(pred_sizes))
    found = _detected(true_ids, pred_ids, overlap, true_sizes, pred_sizes - pred_in, pred_sizes,
                      alpha, beta, gamma)
    hits = _detected(pred_ids, true_ids, overlap, pred_sizes, true_sizes - true_in, true_sizes,
                     alpha, beta, gamma)
    return found, hits


class LesionMatch(NamedTuple):
    """Both masks' components and :func:`match`'s verdict on each (lesion ``i`` and region ``j``
    at index ``i - 1``, ``j - 1``): ``marked`` is the share of each true lesion inside the
    prediction, ``inside`` the share of each region inside the truth (0: it touches none)."""

    true_labels: np.ndarray
    pred_labels: np.ndarray
    found: np.ndarray
    true_positive: np.ndarray
    marked: np.ndarray
    inside: np.ndarray
    true_sizes: np.ndarray
    pred_sizes: np.ndarray


def match_masks(prediction: np.ndarray, truth: np.ndarray) -> LesionMatch:
    """:func:`match` on two binary masks of one grid, with their components (26-connected)."""
    true_labels, n_true = _components(truth)
    pred_labels, n_pred = _components(prediction)
    true_sizes = np.bincount(true_labels.ravel(), minlength=n_true + 1)[1:]
    pred_sizes = np.bincount(pred_labels.ravel(), minlength=n_pred + 1)[1:]
    pairs = overlap_pairs(true_labels, pred_labels, n_pred)
    found, hits = match(*pairs, true_sizes, pred_sizes)
    true_in = np.bincount(pairs[0], weights=pairs[2], minlength=n_true)
    pred_in = np.bincount(pairs[1], weights=pairs[2], minlength=n_pred)
    return LesionMatch(true_labels, pred_labels, found, hits, true_in / np.maximum(true_sizes, 1),
                       pred_in / np.maximum(pred_sizes, 1), true_sizes, pred_sizes)


REGION_KINDS = ("true", "false", "too small a part", "mostly outside")


def region_kinds(m: LesionMatch) -> list[str]:
    """Each region's verdict in :data:`REGION_KINDS`' words: *true* (a true positive); a false
    positive is *false* when it touches no lesion, *mostly outside* when no more than
    :data:`ALPHA` of it lies in lesions, else *too small a part* (it marks too small a part of a
    lesion: more than :data:`BETA` of one it overlaps is unmarked). Words for :func:`match`'s
    verdict, not a second rule."""
    return [REGION_KINDS[0] if hit else REGION_KINDS[1] if inside == 0
            else REGION_KINDS[3] if inside <= ALPHA else REGION_KINDS[2]
            for hit, inside in zip(m.true_positive, m.inside)]


def lesion_metrics(prediction: np.ndarray, truth: np.ndarray, grid) -> dict:
    """Figures of one case (binary masks on one grid: its ``ijk_to_ras`` affine, or the voxel
    sizes in mm of an orthogonal one).

    Returns ``dice`` (None without a true lesion), ``lesions`` (true lesions), ``found``,
    ``sensitivity`` (None without lesions), ``predicted`` (regions), ``false_positives``,
    ``precision`` and ``f1`` (lesion-wise; None when undefined: F1 without a true lesion),
    ``by_size``: ``{bin: [found, total]}`` and the rule (:data:`RULE_KEY`).
    """
    prediction = np.asarray(prediction, bool)
    truth = np.asarray(truth, bool)
    if prediction.shape != truth.shape:
        raise ValueError(f"prediction {prediction.shape} and truth {truth.shape} differ in shape")
    both = int(np.count_nonzero(prediction & truth))
    total = int(np.count_nonzero(prediction)) + int(np.count_nonzero(truth))
    m = match_masks(prediction, truth)
    return figures_from_counts(equivalent_diameter_mm(m.true_sizes, grid),
                               np.flatnonzero(m.found) + 1, len(m.pred_sizes),
                               int(m.true_positive.sum()), both, total)


def figures_from_counts(diameters: np.ndarray, found_ids, predicted: int, hits: int, both: int,
                        total: int) -> dict:
    """:func:`lesion_metrics`' figures from what was counted: the true lesions' equivalent
    diameters (mm, lesion ``i`` at index ``i - 1``), the ids of those found, the predicted
    regions and how many of them are true positives (both by :func:`match`), the voxels in both
    masks and in either (summed)."""
    n_true, n_pred = len(diameters), int(predicted)
    dice = None if n_true == 0 else 2.0 * both / total   # no truth: left out of the mean
    found_set = set(int(i) for i in found_ids)
    by_size = {name: [0, 0] for name, _lo, _hi in SIZE_BINS}
    for index, diameter in enumerate(diameters, start=1):
        entry = by_size[size_bin(float(diameter))]
        entry[1] += 1
        entry[0] += int(index in found_set)
    found = len(found_set)
    sensitivity = found / n_true if n_true else None
    precision = hits / n_pred if n_pred else None
    if n_true == 0:   # no lesion to find: not measured; its false regions count per case
        f1 = None
    elif n_pred == 0:
        f1 = 0.0
    else:
        both_rates = sensitivity + precision
        f1 = 0.0 if both_rates == 0 else 2 * sensitivity * precision / both_rates
    return {"dice": dice, "lesions": n_true, "found": found, "sensitivity": sensitivity,
            "predicted": n_pred, "false_positives": n_pred - hits, "precision": precision,
            "f1": f1, "by_size": by_size, RULE_KEY: LESION_RULE}


def summarize(cases: Sequence[dict]) -> dict:
    """Means over cases and pooled per-size sensitivity, with the per-case figures kept.

    ``sensitivity`` is pooled (lesions found / lesions, over all cases), as are the per-size
    figures; ``dice`` and ``f1`` are means over the cases that hold a lesion (``dice_cases`` and
    ``f1_cases`` of them; None when none does), ``false_positives_per_case`` over all cases
    (a case without a lesion counts there alone, as MONAI's ``ignore_empty`` and panoptica's NaN
    for no instances leave it out of the means; until session 40 its F1 was 1.0, or 0 with a
    false region, and entered the mean F1); ``per_case``
    lists each case's ``dice``, ``sensitivity``, ``false_positives`` and ``f1`` (rounded);
    :data:`RULE_KEY` names the cases' detection rule (cases of two rules are refused).
    """
    if not cases:
        return {}
    rules = {lesion_rule(c) for c in cases}
    if len(rules) > 1:
        raise ValueError(f"cases measured with different lesion rules: {', '.join(sorted(rules))}")
    lesions = sum(c["lesions"] for c in cases)
    found = sum(c["found"] for c in cases)
    by_size = {}
    for name, _lo, _hi in SIZE_BINS:
        hit = sum(c["by_size"][name][0] for c in cases)
        count = sum(c["by_size"][name][1] for c in cases)
        by_size[name] = {"found": hit, "lesions": count,
                         "sensitivity": None if count == 0 else round(hit / count, 4)}
    dice = [c["dice"] for c in cases if c["dice"] is not None]
    f1 = [c["f1"] for c in cases if c["f1"] is not None]
    return {
        "cases": len(cases),
        "dice": round(float(np.mean(dice)), 4) if dice else None,
        "dice_cases": len(dice),
        "sensitivity": None if lesions == 0 else round(found / lesions, 4),
        "lesions": lesions,
        "found": found,
        "false_positives_per_case": round(float(np.mean([c["false_positives"] for c in cases])), 3),
        "f1": round(float(np.mean(f1)), 4) if f1 else None,
        "f1_cases": len(f1),
        "by_size": by_size,
        "per_case": {key: [None if c[key] is None else round(float(c[key]), 4) for c in cases]
                     for key in PER_CASE_KEYS},
        RULE_KEY: rules.pop(),
    }


def pooled_f1(cases: Sequence[dict]) -> Optional[float]:
    """Lesion-wise F1 of ``cases`` (:func:`lesion_metrics` figures) taken together: the lesions
    found of all their lesions, the true-positive regions of all their regions. Steadier than the
    mean of per-case F1, where a head with one lesion counts as much as one with six. None when
    the cases hold no lesion (it was 1.0 for a model that marks nothing there)."""
    lesions = sum(c["lesions"] for c in cases)
    predicted = sum(c["predicted"] for c in cases)
    if lesions == 0:
        return None
    if predicted == 0:
        return 0.0
    sensitivity = sum(c["found"] for c in cases) / lesions
    precision = sum(c["predicted"] - c["false_positives"] for c in cases) / predicted
    return 0.0 if sensitivity + precision == 0 else 2 * sensitivity * precision / (sensitivity + precision)


def format_summary(summary: dict) -> str:
    """One line: ``Dice 0.61, found 14/16 (<5mm 2/3, 5-10mm 6/6, >10mm 6/7), 0.5 FP/case, F1 0.77
    (MSSEG-2016 rule)``: the rule is the summary's :data:`RULE_KEY` (none: any-overlap); ``Dice
    0.61 (3 of 4 cases)`` when cases without a lesion were left out of it, ``Dice not measured
    (no case holds a lesion)`` when all were."""
    if not summary:
        return "no lesion-wise figures"
    # a card from elsewhere may leave any figure out (or hold text): '?' for it, never a KeyError
    by_size = summary.get("by_size")
    sizes = ", ".join(f"{name} {_figure(v, 'found', 'd')}/{_figure(v, 'lesions', 'd')}"
                      for name, v in by_size.items()) if isinstance(by_size, dict) else ""
    return (f"Dice {_dice_figure(summary)}, found {_figure(summary, 'found', 'd')}/"
            f"{_figure(summary, 'lesions', 'd')}" + (f" ({sizes})" if sizes else "")
            + f", {_figure(summary, 'false_positives_per_case', '.1f')} FP/case, "
            f"F1 {_f1_figure(summary)} ({rule_name(lesion_rule(summary))} rule)")


def empty_cases_scored_one(summary) -> bool:
    """Whether a summary written before session 40 counted a case without a lesion in its mean
    Dice (no ``dice_cases``: as 1.0) or its mean F1 (no ``f1_cases``: as 1.0, or 0 with a false
    region): it has such a case (no lesion at all, or a case whose sensitivity is None)."""
    if not isinstance(summary, dict) or ("dice_cases" in summary and "f1_cases" in summary):
        return False
    per_case = summary.get("per_case") if isinstance(summary.get("per_case"), dict) else {}
    return summary.get("lesions") == 0 or None in (per_case.get("sensitivity") or [])


def dice_cases_note(summary) -> str:
    """`` (over 3 of 4 cases: 1 holds no lesion)`` when a summary's Dice left cases out;
    ``""`` when it is over all of them, not measured, or the summary does not say."""
    if not isinstance(summary, dict) or summary.get("dice") is None:
        return ""
    used, cases = summary.get("dice_cases"), summary.get("cases")
    if not isinstance(used, int) or not isinstance(cases, int) or used == cases:
        return ""
    empty = cases - used
    return f" (over {used} of {cases} cases: {empty} hold{'s' if empty == 1 else ''} no lesion)"


def _dice_figure(summary: dict) -> str:
    """The summary's Dice with the cases it is over, when some were left out (no lesion)."""
    used, cases = summary.get("dice_cases"), summary.get("cases")
    if "dice_cases" in summary and summary.get("dice") is None:
        return "not measured (no case holds a lesion)"
    if isinstance(used, int) and isinstance(cases, int) and used != cases:
        return f"{_figure(summary, 'dice', '.2f')} ({used} of {cases} cases)"
    return _figure(summary, "dice", ".2f")


def _f1_figure(summary: dict) -> str:
    """The summary's F1, ``not measured`` where it is over no case (none holds a lesion)."""
    if "f1_cases" in summary and summary.get("f1") is None:
        return "not measured"
    return _figure(summary, "f1", ".2f")


def _figure(figures, key: str, spec: str) -> str:
    value = figures.get(key) if isinstance(figures, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "?"
    return format(int(value), "d") if spec == "d" else format(float(value), spec)
