"""Lesion-wise metrics: what a radiologist checks, beside the voxel Dice.

Lesions are the 26-connected regions of a binary mask (cc3d). A true lesion is *found* when any
predicted voxel overlaps it; a predicted region that overlaps no true lesion is a *false
positive*. Lesion-wise precision is the share of predicted regions that overlap a true lesion,
sensitivity the share of true lesions found, F1 their harmonic mean. Lesion size is the
equivalent diameter ``(6 V / pi) ** (1/3)`` in mm, binned as < 5, 5-10 and > 10 mm. The
any-overlap rule is the one of the MSSEG/MICCAI lesion challenges' detection figures; it is
written here with cc3d (already a dependency) rather than with ``panoptica``, which pulls in
several extra packages and defaults to an IoU > 0.5 matching that counts a half-found lesion as
missed.

Numpy + cc3d only: no Qt, no torch.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..core.geometry import voxel_volume_mm3

SIZE_BINS = (("<5mm", 0.0, 5.0), ("5-10mm", 5.0, 10.0), (">10mm", 10.0, math.inf))
PER_CASE_KEYS = ("dice", "sensitivity", "false_positives", "f1")


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


def dice_per_label(prediction: np.ndarray, truth: np.ndarray, n_labels: int) -> list[float]:
    """Dice of each label 1..n (1.0 when both are empty)."""
    scores = []
    for value in range(1, n_labels + 1):
        p, t = prediction == value, truth == value
        denominator = int(p.sum()) + int(t.sum())
        scores.append(1.0 if denominator == 0 else 2.0 * int((p & t).sum()) / denominator)
    return scores


def lesion_metrics(prediction: np.ndarray, truth: np.ndarray, grid) -> dict:
    """Figures of one case (binary masks on one grid: its ``ijk_to_ras`` affine, or the voxel
    sizes in mm of an orthogonal one).

    Returns ``dice``, ``lesions`` (true lesions), ``found``, ``sensitivity`` (None without
    lesions), ``predicted`` (regions), ``false_positives``, ``precision`` and ``f1`` (lesion-wise;
    None when undefined) and ``by_size``: ``{bin: [found, total]}``.
    """
    prediction = np.asarray(prediction, bool)
    truth = np.asarray(truth, bool)
    if prediction.shape != truth.shape:
        raise ValueError(f"prediction {prediction.shape} and truth {truth.shape} differ in shape")
    both = int(np.count_nonzero(prediction & truth))
    total = int(np.count_nonzero(prediction)) + int(np.count_nonzero(truth))
    true_labels, n_true = _components(truth)
    pred_labels, n_pred = _components(prediction)
    overlap = prediction & truth
    found_ids = np.unique(true_labels[overlap])
    found_ids = found_ids[found_ids > 0]
    hit_ids = np.unique(pred_labels[overlap])
    hit_ids = hit_ids[hit_ids > 0]
    sizes = np.bincount(true_labels.ravel(), minlength=n_true + 1)[1:]
    return figures_from_counts(equivalent_diameter_mm(sizes, grid), found_ids, n_pred, len(hit_ids),
                               both, total)


def figures_from_counts(diameters: np.ndarray, found_ids, predicted: int, hits: int, both: int,
                        total: int) -> dict:
    """:func:`lesion_metrics`' figures from what was counted: the true lesions' equivalent
    diameters (mm, lesion ``i`` at index ``i - 1``), the ids of those found, the predicted
    regions and how many of them hit a lesion, the voxels in both masks and in either (summed)."""
    dice = 1.0 if total == 0 else 2.0 * both / total
    n_true, n_pred = len(diameters), int(predicted)
    found_set = set(int(i) for i in found_ids)
    by_size = {name: [0, 0] for name, _lo, _hi in SIZE_BINS}
    for index, diameter in enumerate(diameters, start=1):
        entry = by_size[size_bin(float(diameter))]
        entry[1] += 1
        entry[0] += int(index in found_set)
    found = len(found_set)
    sensitivity = found / n_true if n_true else None
    precision = hits / n_pred if n_pred else None
    if n_true == 0 and n_pred == 0:
        f1 = 1.0
    elif n_true == 0 or n_pred == 0:
        f1 = 0.0
    else:
        both_rates = sensitivity + precision
        f1 = 0.0 if both_rates == 0 else 2 * sensitivity * precision / both_rates
    return {"dice": dice, "lesions": n_true, "found": found, "sensitivity": sensitivity,
            "predicted": n_pred, "false_positives": n_pred - hits, "precision": precision,
            "f1": f1, "by_size": by_size}


def summarize(cases: Sequence[dict]) -> dict:
    """Means over cases and pooled per-size sensitivity, with the per-case figures kept.

    ``sensitivity`` is pooled (lesions found / lesions, over all cases), as are the per-size
    figures; ``dice``, ``f1`` and ``false_positives_per_case`` are means over cases; ``per_case``
    lists each case's ``dice``, ``sensitivity``, ``false_positives`` and ``f1`` (rounded).
    """
    if not cases:
        return {}
    lesions = sum(c["lesions"] for c in cases)
    found = sum(c["found"] for c in cases)
    by_size = {}
    for name, _lo, _hi in SIZE_BINS:
        hit = sum(c["by_size"][name][0] for c in cases)
        count = sum(c["by_size"][name][1] for c in cases)
        by_size[name] = {"found": hit, "lesions": count,
                         "sensitivity": None if count == 0 else round(hit / count, 4)}
    return {
        "cases": len(cases),
        "dice": round(float(np.mean([c["dice"] for c in cases])), 4),
        "sensitivity": None if lesions == 0 else round(found / lesions, 4),
        "lesions": lesions,
        "found": found,
        "false_positives_per_case": round(float(np.mean([c["false_positives"] for c in cases])), 3),
        "f1": round(float(np.mean([c["f1"] for c in cases])), 4),
        "by_size": by_size,
        "per_case": {key: [None if c[key] is None else round(float(c[key]), 4) for c in cases]
                     for key in PER_CASE_KEYS},
    }


def pooled_f1(cases: Sequence[dict]) -> float:
    """Lesion-wise F1 of ``cases`` (:func:`lesion_metrics` figures) taken together: the lesions
    found of all their lesions, the regions that hit one of all their regions. Steadier than the
    mean of per-case F1, where a head with one lesion counts as much as one with six."""
    lesions = sum(c["lesions"] for c in cases)
    predicted = sum(c["predicted"] for c in cases)
    if lesions == 0 and predicted == 0:
        return 1.0
    if lesions == 0 or predicted == 0:
        return 0.0
    sensitivity = sum(c["found"] for c in cases) / lesions
    precision = sum(c["predicted"] - c["false_positives"] for c in cases) / predicted
    return 0.0 if sensitivity + precision == 0 else 2 * sensitivity * precision / (sensitivity + precision)


def format_summary(summary: dict) -> str:
    """One line: ``Dice 0.61, found 14/16 (<5mm 2/3, 5-10mm 6/6, >10mm 6/7), 0.5 FP/case, F1 0.77``."""
    if not summary:
        return "no lesion-wise figures"
    # a card from elsewhere may leave any figure out (or hold text): '?' for it, never a KeyError
    by_size = summary.get("by_size")
    sizes = ", ".join(f"{name} {_figure(v, 'found', 'd')}/{_figure(v, 'lesions', 'd')}"
                      for name, v in by_size.items()) if isinstance(by_size, dict) else ""
    return (f"Dice {_figure(summary, 'dice', '.2f')}, found {_figure(summary, 'found', 'd')}/"
            f"{_figure(summary, 'lesions', 'd')}" + (f" ({sizes})" if sizes else "")
            + f", {_figure(summary, 'false_positives_per_case', '.1f')} FP/case, "
            f"F1 {_figure(summary, 'f1', '.2f')}")


def _figure(figures, key: str, spec: str) -> str:
    value = figures.get(key) if isinstance(figures, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "?"
    return format(int(value), "d") if spec == "d" else format(float(value), spec)
