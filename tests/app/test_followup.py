"""Follow-up: registration accuracy on landmarks, lesion matching, brain volume change, on the MNI
template moved by known transforms (tests/app/followup_cases.py)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.followup import BVC_REPEATABILITY_PCT, StudyInput, brain_volume_change_pct, compare
from neuroview.app.followup_brain import brain_mask_by_threshold
from neuroview.app.followup_lesions import MatchThresholds, match_lesions, table_csv
from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken
from neuroview.io.registration import register
from tests.app.followup_cases import (
    LESIONS,
    MERGE_CENTRES,
    MERGE_RADII,
    balls,
    best_rigid_rms,
    grid,
    landmark_error,
    lesion_masks,
    rigid,
    sample,
)

FOLLOWUP_SPACING = (2.4, 1.8, 2.2)
FOLLOWUP_MARGIN = (20.0, -5.0, 15.0)  # wider left-right, cut front-back, taller


@pytest.fixture(scope="module")
def case(mni_volume):
    """Baseline at 2 mm; follow-up at the issue's limits: turned 15 degrees about each axis
    (15, -15, 15) and shifted 20 mm along each (20, -20, 20; 34.6 mm in all) on a 2.4 x 1.8 x 2.2 mm
    grid with another field of view."""
    b_shape, b_affine = grid(mni_volume, (2.0, 2.0, 2.0))
    f_shape, f_affine = grid(mni_volume, FOLLOWUP_SPACING, FOLLOWUP_MARGIN)
    truth = rigid((15.0, -15.0, 15.0), (20.0, -20.0, 20.0), mni_volume.center_ras)
    baseline = sample(mni_volume, b_shape, b_affine)
    followup = sample(mni_volume, f_shape, f_affine, np.linalg.inv(truth))
    return {
        "baseline": StudyInput(baseline, b_affine, lesion_masks(b_shape, b_affine, np.eye(4), False),
                               brain_mask_by_threshold(baseline), "baseline"),
        "followup": StudyInput(followup, f_affine,
                               lesion_masks(f_shape, f_affine, np.linalg.inv(truth), True),
                               brain_mask_by_threshold(followup), "followup"),
        "truth": truth,
        "centre": mni_volume.center_ras,
    }


@pytest.fixture(scope="module")
def comparison(case):
    steps = []
    result = compare(case["baseline"], case["followup"], progress=lambda d, t, s: steps.append((d, t)))
    return result, steps


def test_rigid_registration_recovers_a_known_transform(case, comparison):
    result, steps = comparison
    error = landmark_error(result.registration.fixed_to_moving, case["truth"], case["centre"])
    assert error.mean() < 0.5, error
    assert error.max() < 1.0, error
    assert steps and steps[-1][0] == steps[-1][1]  # progress reached its end
    # rigid: a rotation and a shift, nothing stretched or sheared
    linear = result.registration.fixed_to_moving[:3, :3]
    assert np.allclose(linear.T @ linear, np.eye(3), atol=1e-6) and np.linalg.det(linear) > 0


def drawn_ml(study: StudyInput, world_to_baseline, centres, radius) -> float:
    """Volume (mL) of the balls as drawn on a study's grid: the made-up truth, voxel for voxel."""
    if radius == 0:
        return 0.0
    to_world = np.linalg.inv(world_to_baseline)
    centres = [to_world[:3, :3] @ c + to_world[:3, 3] for c in centres]
    mask = balls(study.lesions.shape, study.ijk_to_ras, centres, [radius] * len(centres))
    return np.count_nonzero(mask) * abs(np.linalg.det(study.ijk_to_ras[:3, :3])) / 1000


def test_lesions_are_matched_with_exact_statuses_and_volumes(case, comparison):
    table = comparison[0].table
    base, later, truth = case["baseline"], case["followup"], case["truth"]
    assert len(table.rows) == len(LESIONS) + 1
    for lesion in LESIONS:
        row = min(table.rows, key=lambda r: np.linalg.norm(np.subtract(r.position_ras, lesion.centre_ras)))
        assert np.linalg.norm(np.subtract(row.position_ras, lesion.centre_ras)) < 2.0, lesion.name
        assert row.status == lesion.expected, lesion.name
        assert row.event == ""
        assert row.volume_baseline_ml == pytest.approx(
            drawn_ml(base, np.eye(4), [lesion.centre_ras], lesion.radius_baseline), rel=0.05), lesion.name
        assert row.volume_followup_ml == pytest.approx(
            drawn_ml(later, np.linalg.inv(truth), [lesion.centre_ras], lesion.radius_followup),
            rel=0.05), lesion.name
    merged = [r for r in table.rows if r.event == "merged"]
    assert len(merged) == 1
    assert (merged[0].status, merged[0].baseline_parts, merged[0].followup_parts) == ("enlarging", 2, 1)
    assert merged[0].volume_baseline_ml == pytest.approx(
        drawn_ml(base, np.eye(4), MERGE_CENTRES, MERGE_RADII[0]), rel=0.05)
    assert merged[0].volume_followup_ml == pytest.approx(
        drawn_ml(later, np.linalg.inv(truth), MERGE_CENTRES, MERGE_RADII[1]), rel=0.05)
    # and the union of the two grown balls is close to its analytic volume (two balls less the lens)
    d, r = np.linalg.norm(np.subtract(*MERGE_CENTRES)), MERGE_RADII[1]
    lens = np.pi * (4 * r + d) * (2 * r - d) ** 2 / 12
    assert merged[0].volume_followup_ml == pytest.approx((2 * 4 / 3 * np.pi * r ** 3 - lens) / 1000,
                                                         rel=0.05)


def test_thresholds_decide_between_enlarging_and_stable():
    affine = np.eye(4)
    before = np.zeros((30, 30, 30), np.uint8)
    before[5:15, 5:15, 5:15] = 1  # 1.000 mL
    after = before.copy()
    after[5:15, 5:15, 15:17] = 1  # +20 %: 1.200 mL
    assert match_lesions(before, affine, after, affine, np.eye(4)).rows[0].status == "stable"
    looser = MatchThresholds(min_change_pct=15.0, min_change_ml=0.05)
    assert match_lesions(before, affine, after, affine, np.eye(4), looser).rows[0].status == "enlarging"
    stricter = MatchThresholds(min_change_pct=15.0, min_change_ml=0.5)
    assert match_lesions(before, affine, after, affine, np.eye(4), stricter).rows[0].status == "stable"
    split = before.copy()
    split[9:11] = 0
    row = match_lesions(before, affine, split, affine, np.eye(4)).rows[0]
    assert (row.event, row.baseline_parts, row.followup_parts) == ("split", 1, 2)


def test_csv_has_one_line_per_lesion(comparison):
    lines = table_csv(comparison[0].table).splitlines()
    assert lines[0].startswith("id,status,event,volume_baseline_ml")
    assert len(lines) == len(comparison[0].table.rows) + 1
    assert sorted(line.split(",")[1] for line in lines[1:]) == sorted(
        ["new", "enlarging", "enlarging", "stable", "shrinking", "resolved"])


@pytest.fixture(scope="module")
def scans(mni_volume):
    """A baseline scan of the head, a rescan in another pose, voxel size and field of view, and a
    scan of the head scaled by 0.99 per axis: made once for both ways of counting the volume."""
    def scan(spacing, rotation, shift, scale=1.0):
        shape, affine = grid(mni_volume, spacing, (10.0, 10.0, 10.0))
        pose = rigid(rotation, shift, mni_volume.center_ras, scale=scale)
        image = sample(mni_volume, shape, affine, np.linalg.inv(pose))
        return StudyInput(image, affine, np.zeros(shape, np.uint8), brain_mask_by_threshold(image))

    return (scan((2.0, 2.0, 2.0), (-4.0, 6.0, 3.0), (-5.0, 2.0, 8.0)),
            scan((2.2, 1.7, 2.0), (9.0, -3.0, 5.0), (6.0, -4.0, 1.0)),
            scan((1.8, 2.2, 2.0), (5.0, 0.0, -7.0), (4.0, 6.0, -3.0), scale=0.99))


@pytest.mark.parametrize("partial_volume", [False, True])
def test_brain_volume_change_of_a_shrunken_head(scans, partial_volume):
    """A head scaled by 0.99 per axis has lost 2.97 % of its volume: two scans of it in other
    poses, voxel sizes and fields of view read that change within 0.3 percentage points; two scans
    of the unchanged head read no change within ten times the measured repeatability."""
    baseline, rescan, shrunken = scans
    assert brain_volume_change_pct(baseline, shrunken, partial_volume) == pytest.approx(
        100 * (0.99 ** 3 - 1), abs=0.3)
    assert abs(brain_volume_change_pct(baseline, rescan, partial_volume)) < 10 * BVC_REPEATABILITY_PCT


def test_registration_stops_when_cancelled(case):
    """Cancel ends the optimiser at once: at most one more iteration per resolution level and no
    affine stage (SimpleITK's Abort() was only seen when the whole method ended, some 600
    iterations later)."""
    token = CancelToken()
    after = []

    def progress(done, total, text):
        if token.cancelled:
            after.append(text)
        if done >= 3:
            token.cancel()

    base, later = case["baseline"], case["followup"]
    with pytest.raises(Cancelled):
        register(base.image, base.ijk_to_ras, later.image, later.ijk_to_ras, progress=progress,
                 cancel=token, kind="affine")
    assert len(after) <= 3 and not any("affine" in text for text in after), after


def test_registration_lets_go_of_its_progress_callback(mni_volume):
    """The iteration command SimpleITK holds made a cycle with the registration method that the
    garbage collector cannot see: the method and the progress callback (a GUI job with all its
    results) stayed alive until the program ended. (6 mm heads: the cycle, whatever the size.)"""
    import gc
    import weakref

    class Listener:
        def __init__(self):
            self.calls = 0

        def progress(self, done, total, text):
            self.calls += 1

    listener = Listener()
    reference = weakref.ref(listener)
    shape, affine = grid(mni_volume, (6.0, 6.0, 6.0))
    image = sample(mni_volume, shape, affine)
    register(image, affine, image, affine, progress=listener.progress, iterations=3)
    assert listener.calls > 1   # the command was called: it held the callback
    del listener
    gc.collect()
    assert reference() is None


def test_affine_registration_recovers_a_known_affine(mni_volume):
    """--affine at the issue's limits (15 degrees, 20 mm along each axis, the other signs), the
    follow-up also stretched by 4 %, -3 % and 2 % along the axes."""
    b_shape, b_affine = grid(mni_volume, (2.0, 2.0, 2.0))
    f_shape, f_affine = grid(mni_volume, (2.2, 1.9, 2.1), (20.0, 5.0, 15.0))
    truth = rigid((-15.0, 15.0, -15.0), (-20.0, 20.0, -20.0), mni_volume.center_ras)
    truth[:3, :3] = truth[:3, :3] @ np.diag([1.04, 0.97, 1.02])
    baseline = sample(mni_volume, b_shape, b_affine)
    followup = sample(mni_volume, f_shape, f_affine, np.linalg.inv(truth))
    result = register(baseline, b_affine, followup, f_affine, brain_mask_by_threshold(baseline),
                      brain_mask_by_threshold(followup), kind="affine")
    error = landmark_error(result.fixed_to_moving, truth, mni_volume.center_ras)
    assert result.kind == "affine"
    assert error.mean() < 0.5, error
    # no rigid transform comes this close (a rigid one's worst landmark is at least the Kabsch
    # fit's RMS, 2.1 mm, off), so the affine stage did it; a rigid registration of this pair read
    # 2.0 mm (``bench/registration_levels.py rigid_of_affine``), and a rigid result is a rotation
    # and a shift (test_rigid_registration_recovers_a_known_transform)
    assert error.max() < 1.0 < best_rigid_rms(truth, mni_volume.center_ras)


def test_working_grid_cuts_to_the_brain_and_averages_blocks():
    """A linear ramp keeps its value at each block's centre: every working voxel, placed by the
    working affine, reads the ramp's value at its RAS point; the box holds the mask plus 10 mm."""
    from neuroview.io.registration import MARGIN_MM, working_grid

    affine = rigid((10.0, 0.0, -5.0), (3.0, -2.0, 7.0))
    affine[:3, :3] = affine[:3, :3] @ np.diag([0.9, 1.0, 1.1])
    shape = (90, 80, 70)
    ijk = np.indices(shape).reshape(3, -1).T
    ras = ijk @ affine[:3, :3].T + affine[:3, 3]
    gradient = np.array([0.3, -0.2, 0.5])
    ramp = (ras @ gradient).reshape(shape).astype(np.float32)
    mask = np.zeros(shape, bool)
    mask[30:60, 20:50, 25:45] = True
    image, small_mask, small_affine = working_grid(ramp, mask, affine)
    assert image.shape == (27, 25, 20)  # (30 + 2 * 12, 30 + 2 * 10, 20 + 2 * 10) in 2x2x2 blocks
    small_ijk = np.indices(image.shape).reshape(3, -1).T
    small_ras = small_ijk @ small_affine[:3, :3].T + small_affine[:3, 3]
    assert np.allclose(image.ravel(), small_ras @ gradient, atol=1e-3)
    # the mask's box (its corner voxels' centres) lies inside the working grid, 10 mm from its edge
    corners = np.array([[30, 20, 25], [59, 49, 44]]) @ affine[:3, :3].T + affine[:3, 3]
    inside = (corners - small_affine[:3, 3]) @ np.linalg.inv(small_affine[:3, :3]).T
    spacing = np.linalg.norm(small_affine[:3, :3], axis=0)
    assert np.all(inside[0] * spacing >= MARGIN_MM - 1.5) and np.all(inside[0] >= 0)
    assert np.all((np.array(image.shape) - 1 - inside[1]) * spacing >= MARGIN_MM - 1.5)
    assert small_mask.sum() == pytest.approx(mask.sum() / 8, rel=0.05)


def test_registration_of_fine_grids_is_as_accurate(mni_volume):
    """A 1 mm baseline and a 0.9 x 1.1 x 1.0 mm follow-up (registered on 2 mm blocks of the brain's
    box) still land within 0.5 mm on the landmarks."""
    b_shape, b_affine = grid(mni_volume, (1.0, 1.0, 1.0), (-12.0, -12.0, -12.0))
    f_shape, f_affine = grid(mni_volume, (0.9, 1.1, 1.0), (-5.0, -15.0, -8.0))
    truth = rigid((-10.0, 7.0, 12.0), (-12.0, 9.0, -15.0), mni_volume.center_ras)
    baseline = sample(mni_volume, b_shape, b_affine)
    followup = sample(mni_volume, f_shape, f_affine, np.linalg.inv(truth))
    result = register(baseline, b_affine, followup, f_affine, brain_mask_by_threshold(baseline),
                      brain_mask_by_threshold(followup))
    error = landmark_error(result.fixed_to_moving, truth, mni_volume.center_ras)
    assert error.mean() < 0.5, error
    assert error.max() < 1.0, error
