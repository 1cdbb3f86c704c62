"""Agreement between made-up readers, checked against independent computations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from neuroview.dataset import agreement
from neuroview.dataset.agreement import (
    dice,
    hausdorff95,
    lesion_f1,
    majority_vote,
    pairwise,
    staple,
)


def _box(shape, lo, hi):
    mask = np.zeros(shape, bool)
    mask[tuple(slice(a, b) for a, b in zip(lo, hi))] = True
    return mask


def test_dice_and_volume_of_boxes():
    a = _box((20, 20, 20), (2, 2, 2), (12, 12, 12))  # 1000 voxels
    b = _box((20, 20, 20), (7, 2, 2), (17, 12, 12))  # 1000 voxels, 500 shared
    assert dice(a, b) == pytest.approx(0.5)
    assert dice(a, np.zeros_like(a)) == 0.0 and dice(a & False, a & False) == 1.0
    (pair,) = pairwise({"ann": a, "bob": b | _box(a.shape, (0, 15, 15), (2, 20, 20))}, (1.0, 2.0, 0.5))
    # bob drew 1000 + 50 voxels of 1 mm3 each -> 0.05 ml more than ann
    assert pair.volume_difference_ml == pytest.approx(0.05)


def test_hausdorff95_matches_monai():
    torch = pytest.importorskip("torch")
    metrics = pytest.importorskip("monai.metrics")
    rng = np.random.default_rng(0)
    spacing = (1.0, 0.8, 2.0)
    for _ in range(3):
        a = ndimage.gaussian_filter(rng.random((40, 36, 30)), 3) > 0.52
        noise = ndimage.gaussian_filter(rng.random(a.shape), 3) > 0.47
        b = ndimage.binary_dilation(a, iterations=2) & noise
        tensor = lambda m: torch.from_numpy(m[None, None].astype(np.float32))  # noqa: E731
        reference = metrics.compute_hausdorff_distance(tensor(b), tensor(a), percentile=95,
                                                       spacing=spacing).item()
        assert hausdorff95(a, b, spacing) == pytest.approx(reference, abs=1e-4)
    a = _box((30, 30, 30), (5, 5, 5), (15, 15, 15))
    assert hausdorff95(a, np.roll(a, 4, axis=0), (2.0, 1.0, 1.0)) == pytest.approx(8.0)
    assert np.isnan(hausdorff95(a, np.zeros_like(a)))


def _surface_ras(mask, affine):
    """World (RAS mm) positions of the voxels of ``mask`` with a face neighbour outside it (a
    loop over the six neighbours, not scipy's erosion)."""
    padded = np.pad(mask, 1)
    border = np.zeros(mask.shape, bool)
    for axis in range(3):
        for step in (-1, 1):
            border |= ~np.roll(padded, step, axis=axis)[1:-1, 1:-1, 1:-1]
    return np.argwhere(mask & border) @ affine[:3, :3].T + affine[:3, 3]


def test_surface_distances_on_a_tilted_grid_are_world_mm():
    """On an oblique (rotated 20 degrees), gantry-tilted (slices sheared 15 degrees) grid of
    0.7 x 0.9 x 3 mm voxels, the 95 % Hausdorff distance and the largest surface distances are
    those of the surface voxels' world positions: scipy's ``directed_hausdorff`` and nearest
    distances over all pairs (``cdist``) give the reference."""
    from scipy.spatial.distance import cdist, directed_hausdorff

    c, s = np.cos(np.radians(20)), np.sin(np.radians(20))
    rotation = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    tilt = np.radians(15)
    sheared = np.array([[0.7, 0.0, 0.0], [0.0, 0.9, 3.0 * np.sin(tilt)], [0.0, 0.0, 3.0 * np.cos(tilt)]])
    linear = rotation @ sheared
    affine = np.eye(4)
    affine[:3, :3], affine[:3, 3] = linear, (-40.0, 12.0, 7.0)
    rng = np.random.default_rng(3)
    a = ndimage.gaussian_filter(rng.random((40, 36, 14)), 2.5) > 0.52
    b = ndimage.binary_dilation(a, iterations=2) & (ndimage.gaussian_filter(rng.random(a.shape), 2.5) > 0.48)
    pa, pb = _surface_ras(a, affine), _surface_ras(b, affine)
    nearest = cdist(pa, pb)
    reference = max(np.percentile(nearest.min(axis=1), 95), np.percentile(nearest.min(axis=0), 95))
    (pair,) = pairwise({"ann": a, "bob": b}, affine)
    assert pair.hausdorff95_mm == pytest.approx(reference, rel=1e-9)
    assert hausdorff95(a, b, affine) == pytest.approx(reference, rel=1e-9)
    a_to_b, b_to_a = agreement.surface_distances(a, b, affine)
    assert a_to_b.max() == pytest.approx(directed_hausdorff(pa, pb)[0], rel=1e-9)
    assert b_to_a.max() == pytest.approx(directed_hausdorff(pb, pa)[0], rel=1e-9)
    assert len(a_to_b) == len(pa) and len(b_to_a) == len(pb)


def test_lesion_f1_counts_lesions():
    shape = (40, 40, 10)
    ann = _box(shape, (2, 2, 2), (6, 6, 6)) | _box(shape, (20, 20, 2), (24, 24, 6)) | _box(
        shape, (30, 2, 2), (34, 6, 6))  # three lesions
    bob = _box(shape, (4, 4, 3), (8, 8, 5)) | _box(shape, (10, 30, 2), (12, 32, 4))  # finds one, adds one
    # recall 1/3, precision 1/2 -> F1 = 2 * (1/3 * 1/2) / (1/3 + 1/2) = 0.4
    assert lesion_f1(ann, bob) == pytest.approx(0.4)
    assert lesion_f1(ann, ann) == 1.0


def test_staple_and_majority_on_made_up_readers():
    rng = np.random.default_rng(3)
    truth = ndimage.gaussian_filter(rng.random((40, 40, 20)), 2) > 0.53
    careful = truth.copy()
    also_careful = truth & ~(rng.random(truth.shape) < 0.05)  # misses 5 % of the lesion
    sloppy = ndimage.binary_dilation(truth, iterations=2)  # over-segments
    readers = {"careful": careful, "also": also_careful, "sloppy": sloppy}
    vote = majority_vote(readers)
    expected_vote = (careful.astype(int) + also_careful + sloppy) >= 2
    assert np.array_equal(vote.mask, expected_vote)
    # rates against the vote, computed independently
    positives, negatives = expected_vote.sum(), (~expected_vote).sum()
    assert vote.sensitivity["also"] == pytest.approx((also_careful & expected_vote).sum() / positives)
    assert vote.specificity["sloppy"] == pytest.approx((~sloppy & ~expected_vote).sum() / negatives)
    result = staple(readers)
    assert dice(result.mask, truth) > 0.97
    assert result.sensitivity["careful"] > 0.97
    assert result.sensitivity["also"] == pytest.approx(0.95, abs=0.02)
    assert result.specificity["sloppy"] < result.specificity["careful"]
    # STAPLE's sensitivity of a reader is close to that reader's recall of the STAPLE consensus
    for name, mask in readers.items():
        recall = (mask & result.mask).sum() / result.mask.sum()
        assert result.sensitivity[name] == pytest.approx(recall, abs=0.03)
