"""Agreement between readers' masks of one image: Dice, 95 % Hausdorff distance, lesion-wise F1 and
volume difference per pair, and a consensus by STAPLE (SimpleITK) or majority vote.

Masks are boolean arrays on one voxel grid (any label > 0 is lesion); ``grid`` is the grid's
``ijk_to_ras`` affine or, for an orthogonal grid, its voxel sizes in mm along the array axes
(volumes and distances need the affine on a gantry-tilted grid). Lesions are 26-connected
components (cc3d); a lesion of one reader is found by the other when they share at least one
voxel. Conventions where a mask is empty: Dice and lesion F1 are 1 when both are empty (perfect
agreement on "nothing"), the Hausdorff distance is NaN when exactly one is empty (undefined) and
0 when both are.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..core.geometry import apply_linear, voxel_volume_mm3
from ..core.jobs import CancelToken, abandonable, check


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
    from scipy import ndimage  # (imported when used: the window's start need not pay for scipy)

    return mask & ~ndimage.binary_erosion(mask, border_value=0)  # face-connected, as MONAI and medpy


def surface_distances(a: np.ndarray, b: np.ndarray, grid=(1.0, 1.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """``(a_to_b, b_to_a)``: each surface voxel's distance (mm, in world space) to the nearest
    surface voxel of the other mask, both masks non-empty. ``grid``: the masks' ``ijk_to_ras``
    affine, or an orthogonal grid's voxel sizes (as :func:`.geometry.voxel_volume_mm3` takes it).
    The voxel centres are placed in world space and paired by a k-d tree (scipy), so a rotated or
    gantry-tilted (sheared) grid measures true millimetres; a distance transform weighted by the
    voxel sizes assumes perpendicular axes."""
    from scipy import ndimage
    from scipy.spatial import cKDTree

    grid = np.asarray(grid, dtype=float)
    linear = grid[:3, :3] if grid.ndim == 2 else np.diag(grid)
    # Every surface voxel of both lies in the box around both masks (one voxel wider): the
    # surfaces found there are the whole image's, at a fraction of the cost.
    box = ndimage.find_objects((a | b).astype(np.uint8))[0]
    box = tuple(slice(max(s.start - 1, 0), s.stop + 1) for s in box)
    points_a, points_b = (apply_linear(linear, np.argwhere(_surface(m[box]))) for m in (a, b))
    return cKDTree(points_b).query(points_a)[0], cKDTree(points_a).query(points_b)[0]


def hausdorff95(a: np.ndarray, b: np.ndarray, grid=(1.0, 1.0, 1.0)) -> float:
    """Symmetric 95th-percentile surface distance (mm): the larger of the two directed ones
    (:func:`surface_distances`; ``grid`` as it takes it)."""
    a, b = np.asarray(a) > 0, np.asarray(b) > 0
    if not a.any() and not b.any():
        return 0.0
    if not a.any() or not b.any():
        return float("nan")
    a_to_b, b_to_a = surface_distances(a, b, grid)
    return float(max(np.percentile(a_to_b, 95), np.percentile(b_to_a, 95)))


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


def pairwise(masks: Mapping[str, np.ndarray], grid, cancel: CancelToken | None = None) -> list[PairAgreement]:
    """Every pair of readers, in the order given. ``grid``: the masks' ``ijk_to_ras`` affine (a
    voxel's volume is its determinant and distances are measured in world space: right on a
    gantry-tilted grid too), or an orthogonal grid's voxel sizes in mm. ``cancel`` is looked at
    between two measures (each takes seconds on a 512x512x300 grid)."""
    voxel_ml = voxel_volume_mm3(grid) / 1000.0
    out = []
    for (name_a, a), (name_b, b) in itertools.combinations(masks.items(), 2):
        check(cancel)
        a, b = np.asarray(a) > 0, np.asarray(b) > 0
        overlap = dice(a, b)
        check(cancel)
        distance = hausdorff95(a, b, grid)
        check(cancel)
        out.append(PairAgreement(name_a, name_b, overlap, distance, lesion_f1(a, b),
                                 (int(b.sum()) - int(a.sum())) * voxel_ml))
    check(cancel)
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


def staple(masks: Mapping[str, np.ndarray], threshold: float = 0.5,
           cancel: CancelToken | None = None) -> Consensus:
    """SimpleITK's STAPLE: the consensus (probability >= ``threshold``) and each reader's estimated
    sensitivity and specificity. ``cancel`` returns at once (``Cancelled``): the filter runs on
    a thread of its own that the caller stops waiting for (``core.jobs.abandonable``; SimpleITK
    lets go of Python's lock meanwhile), and stops between two of its iterations (SimpleITK's
    ``Abort``: it then returns early, as if done, so the token is looked at after it). On a
    512x512x300 grid of 3 readers the filter ran 63 s at load 11 in one call, an iteration
    several seconds: Cancel waited for the iteration's end until session 44."""
    if len(masks) < 2:
        raise ValueError("STAPLE needs at least two readers")
    probability, sensitivity, specificity = abandonable(lambda: _staple_filter(masks, cancel),
                                                        cancel, "STAPLE")
    check(cancel)
    names = list(masks)
    return Consensus(probability >= threshold, "STAPLE", dict(zip(names, map(float, sensitivity))),
                     dict(zip(names, map(float, specificity))))


def _staple_filter(masks: Mapping[str, np.ndarray], cancel: CancelToken | None) -> tuple:
    """SimpleITK's STAPLE of ``masks``: (probability, sensitivities, specificities), aborted at
    the iteration after ``cancel``. Every SimpleITK object is made and let go here, on the
    step's thread: one let go after the step had ended (the filter a cancelled caller's
    traceback held) was still in its C++ destructor as a process ended ('FATAL: exception not
    rethrown', abort)."""
    import SimpleITK as sitk

    images = [sitk.GetImageFromArray((np.asarray(m) > 0).astype(np.uint8)) for m in masks.values()]
    staple_filter = sitk.STAPLEImageFilter()
    staple_filter.SetForegroundValue(1)
    if cancel is not None:
        staple_filter.AddCommand(sitk.sitkIterationEvent,
                                 lambda: staple_filter.Abort() if cancel.cancelled else None)
    try:
        output = staple_filter.Execute(images)
        return (sitk.GetArrayFromImage(output), staple_filter.GetSensitivity(),
                staple_filter.GetSpecificity())
    finally:
        staple_filter.RemoveAllCommands()   # the command's cycle: the filter goes here, not later
