"""Agreement between readers' masks of one image: Dice, 95 % Hausdorff distance, lesion-wise F1 and
volume difference per pair, and a consensus by STAPLE (SimpleITK) or majority vote.

Masks are boolean arrays on one voxel grid (any label > 0 is lesion); ``spacing`` is the voxel size
in mm along the array axes, and :func:`pairwise` takes the grid's affine (volumes need more than
the sizes on a gantry-tilted grid). Lesions are 26-connected components (cc3d); a lesion of one reader is
found by the other when they share at least one voxel. Conventions where a mask is empty: Dice
and lesion F1 are 1 when both are empty (perfect agreement on "nothing"), the Hausdorff
distance is NaN when exactly one is empty (undefined) and 0 when both are.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
from scipy import ndimage

from ..core.geometry import voxel_sizes, voxel_volume_mm3


@dataclass
class PairAgreement:
    reader_a: str
    reader_b: str
    dice: float
    hausdorff95_mm: float
    lesion_f1: float
    volume_difference_ml: float
    """Volume of ``reader_b`` minus volume of ``reader_a``."""


@dataclass
class Consensus:
    mask: np.ndarray
    method: str
    sensitivity: dict[str, float]
    specificity: dict[str, float]


def dice(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a) > 0, np.asarray(b) > 0
    total = int(a.sum()) + int(b.sum())
    return 1.0 if total == 0 else 2.0 * int(np.logical_and(a, b).sum()) / total


def _surface(mask: np.ndarray) -> np.ndarray:
    return mask & ~ndimage.binary_erosion(mask, border_value=0)  # face-connected, as MONAI and medpy


def hausdorff95(a: np.ndarray, b: np.ndarray, spacing: Sequence[float] = (1.0, 1.0, 1.0)) -> float:
    """Symmetric 95th-percentile surface distance (mm): the larger of the two directed ones."""
    a, b = np.asarray(a) > 0, np.asarray(b) > 0
    if not a.any() and not b.any():
        return 0.0
    if not a.any() or not b.any():
        return float("nan")
    # Every surface voxel of both lies in the box around both masks: the distance transforms of
    # that box give the same distances as the whole image's, at a fraction of the cost.
    box = ndimage.find_objects((a | b).astype(np.uint8))[0]
    box = tuple(slice(max(s.start - 1, 0), s.stop + 1) for s in box)
    surface_a, surface_b = _surface(a[box]), _surface(b[box])
    to_b = ndimage.distance_transform_edt(~surface_b, sampling=spacing)
    to_a = ndimage.distance_transform_edt(~surface_a, sampling=spacing)
    return float(max(np.percentile(to_b[surface_a], 95), np.percentile(to_a[surface_b], 95)))


def lesions(mask: np.ndarray) -> tuple[np.ndarray, int]:
    import cc3d

    labels, count = cc3d.connected_components((np.asarray(mask) > 0).astype(np.uint8), connectivity=26,
                                              return_N=True)
    return labels, int(count)


def lesion_f1(a: np.ndarray, b: np.ndarray) -> float:
    """F1 of lesion detection, ``a`` taken as reference: recall over a's lesions, precision over b's."""
    labels_a, n_a = lesions(a)
    labels_b, n_b = lesions(b)
    if n_a == 0 and n_b == 0:
        return 1.0
    if n_a == 0 or n_b == 0:
        return 0.0
    found_a = len(np.unique(labels_a[(labels_a > 0) & (labels_b > 0)]))
    found_b = len(np.unique(labels_b[(labels_a > 0) & (labels_b > 0)]))
    recall, precision = found_a / n_a, found_b / n_b
    return 0.0 if recall + precision == 0 else 2 * recall * precision / (recall + precision)


def pairwise(masks: Mapping[str, np.ndarray], grid) -> list[PairAgreement]:
    """Every pair of readers, in the order given. ``grid``: the masks' ``ijk_to_ras`` affine (a
    voxel's volume is its determinant: right on a gantry-tilted grid too), or an orthogonal
    grid's voxel sizes in mm."""
    voxel_ml = voxel_volume_mm3(grid) / 1000.0
    spacing = voxel_sizes(grid)
    out = []
    for (name_a, a), (name_b, b) in itertools.combinations(masks.items(), 2):
        a, b = np.asarray(a) > 0, np.asarray(b) > 0
        out.append(PairAgreement(name_a, name_b, dice(a, b), hausdorff95(a, b, spacing), lesion_f1(a, b),
                                 (int(b.sum()) - int(a.sum())) * voxel_ml))
    return out


def _rates(masks: Mapping[str, np.ndarray], truth: np.ndarray) -> tuple[dict, dict]:
    sensitivity, specificity = {}, {}
    for name, mask in masks.items():
        mask = np.asarray(mask) > 0
        positives, negatives = int(truth.sum()), int((~truth).sum())
        sensitivity[name] = float((mask & truth).sum() / positives) if positives else float("nan")
        specificity[name] = float((~mask & ~truth).sum() / negatives) if negatives else float("nan")
    return sensitivity, specificity


def majority_vote(masks: Mapping[str, np.ndarray]) -> Consensus:
    """Lesion where more than half of the readers drew it; rates of each reader against it."""
    stack = np.stack([np.asarray(m) > 0 for m in masks.values()])
    consensus = stack.sum(axis=0) * 2 > len(masks)
    sensitivity, specificity = _rates(masks, consensus)
    return Consensus(consensus, "majority vote", sensitivity, specificity)


def staple(masks: Mapping[str, np.ndarray], threshold: float = 0.5) -> Consensus:
    """SimpleITK's STAPLE: the consensus (probability >= ``threshold``) and each reader's estimated
    sensitivity and specificity."""
    import SimpleITK as sitk

    if len(masks) < 2:
        raise ValueError("STAPLE needs at least two readers")
    images = [sitk.GetImageFromArray((np.asarray(m) > 0).astype(np.uint8)) for m in masks.values()]
    staple_filter = sitk.STAPLEImageFilter()
    staple_filter.SetForegroundValue(1)
    probability = sitk.GetArrayFromImage(staple_filter.Execute(images))
    names = list(masks)
    return Consensus(probability >= threshold, "STAPLE",
                     dict(zip(names, map(float, staple_filter.GetSensitivity()))),
                     dict(zip(names, map(float, staple_filter.GetSpecificity()))))
