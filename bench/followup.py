"""Benchmark of a follow-up comparison on two 256^3 heads, and the brain volume repeatability.

- Registration (rigid, on brain masks) and lesion matching of two 256x256x256 1 mm-class heads made
  from the MNI template: the follow-up turned (12, -8, 15) degrees, shifted (15, -12, 18) mm, on a
  1.0 x 0.95 x 1.05 mm grid with another field of view. Prints the times, their ratio to the issue's
  goal (30 s in total) and to one reference operation timed in the same run (a trilinear resample
  of the follow-up onto the baseline grid by scipy), and the landmark error against the known
  transform. CPU time (all threads) is printed beside the wall time: on a shared machine the
  wall time depends on the other jobs.
- ``--rescan N``: brain volume change between N pairs of resamplings of one head (other poses,
  voxel sizes 1.6-2.4 mm and fields of view; no real change), the source of
  ``neuroview.app.followup.BVC_REPEATABILITY_PCT``.
- ``--rescan-deepbet N``: the same with brain masks extracted by deepbet from whole heads (the
  MNI brain in a synthetic skull, ``neuroview.ai.heads``): each mask on its study's grid (how it
  was measured before 1 December 2026, 21:30 UTC) and both on one grid halfway between them (what
  ``compare`` does now), the source of ``BVC_REPEATABILITY_DEEPBET_PCT``; a few seconds to a
  minute per extraction on this CPU, four extractions per pair.

Run: nice -n 10 python bench/followup.py [--rescan 6]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.followup import StudyInput, brain_volume_change_pct, compare  # noqa: E402
from neuroview.app.followup_brain import brain_mask_by_threshold  # noqa: E402
from neuroview.io.nifti import load_nifti  # noqa: E402
from neuroview.io.registration import resample  # noqa: E402
from tests.app.followup_cases import deepbet_rescans, grid, lesion_masks, rescan_of, rigid, sample  # noqa: E402
from tests.app.test_followup import landmark_error  # noqa: E402

TEMPLATE = Path(__file__).resolve().parent.parent / "resources" / "demo" / "mni152_t1_1mm.nii.gz"
GOAL_S = 30.0


def two_heads(template):
    b_shape, b_affine = grid(template, (1.0, 1.0, 1.0), (29.5, 11.5, 33.5))
    f_shape, f_affine = grid(template, (1.0, 0.95, 1.05), (25.0, 20.0, 20.0))
    truth = rigid((12.0, -8.0, 15.0), (15.0, -12.0, 18.0), template.center_ras)
    base = sample(template, b_shape, b_affine)
    later = sample(template, f_shape, f_affine, np.linalg.inv(truth))
    baseline = StudyInput(base, b_affine, lesion_masks(b_shape, b_affine, np.eye(4), False),
                          brain_mask_by_threshold(base))
    followup = StudyInput(later, f_affine, lesion_masks(f_shape, f_affine, np.linalg.inv(truth), True),
                          brain_mask_by_threshold(later))
    return baseline, followup, truth


def bench_comparison(template) -> None:
    baseline, followup, truth = two_heads(template)
    print(f"baseline {baseline.image.shape}, follow-up {followup.image.shape}")
    clocks = (time.perf_counter, time.process_time)
    start = [clock() for clock in clocks]
    resample(followup.image, followup.ijk_to_ras, baseline.image.shape, baseline.ijk_to_ras, truth)
    reference = [clock() - s for clock, s in zip(clocks, start)]
    times = {}

    def progress(done, total, text):
        if text == "matching lesions" and "registration" not in times:
            times["registration"] = [clock() - s for clock, s in zip(clocks, start)]

    start = [clock() for clock in clocks]
    result = compare(baseline, followup, progress=progress)
    total = [clock() - s for clock, s in zip(clocks, start)]
    times["matching"] = [t - r for t, r in zip(total, times["registration"])]
    error = landmark_error(result.registration.fixed_to_moving, truth, template.center_ras)
    print(f"reference: one trilinear resample of the follow-up onto the baseline grid "
          f"{reference[0]:.2f} s wall, {reference[1]:.2f} s CPU")
    for name, (wall, cpu) in (*times.items(), ("total", total)):
        print(f"{name:>12}: {wall:7.2f} s wall = {wall / reference[0]:6.1f} x reference, "
              f"{wall / GOAL_S:5.2f} x the 30 s goal; {cpu:7.2f} s CPU (all threads)")
    print(f"landmark error: mean {error.mean():.3f} mm, max {error.max():.3f} mm; "
          f"statuses: {sorted(r.status for r in result.table.rows)}")
    from neuroview.app.followup_track import tracking_of

    start = [clock() for clock in clocks]
    tracking = tracking_of(baseline, [followup], [result])
    tracked = [clock() - s for clock, s in zip(clocks, start)]
    print(f"table across time points (lesions.csv, {len(tracking.rows)} rows): {tracked[0]:.2f} s wall "
          f"= {tracked[0] / reference[0]:.1f} x reference, {tracked[1]:.2f} s CPU")


def bench_rescan(template, pairs: int) -> None:
    rng = np.random.default_rng(7)

    def scan():
        image, affine = rescan_of(template, rng, (15.0, 15.0, 15.0))
        return StudyInput(image, affine, np.zeros(image.shape, np.uint8), brain_mask_by_threshold(image))

    for partial in (False, True):
        changes = [brain_volume_change_pct(scan(), scan(), partial) for _ in range(pairs)]
        print(f"rescan brain volume change ({'tissue-fraction' if partial else 'voxel count'}), "
              f"{pairs} pairs: mean {np.mean(changes):+.4f} %, SD {np.std(changes, ddof=1):.4f} %")


def bench_rescan_deepbet(pairs: int) -> None:
    scan = deepbet_rescans()
    start = time.perf_counter()
    own, one_grid = [], []
    for _ in range(pairs):
        baseline, later = scan("scan"), scan("rescan")
        own.append(brain_volume_change_pct(baseline, later))  # each mask on its study's grid
        one_grid.append(compare(baseline, later, device="cpu").brain_volume_change_pct)
        print(f"pair {len(own)}: own grids {own[-1]:+.3f} %, one grid {one_grid[-1]:+.3f} % "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
    for what, changes in (("each mask on its own grid", own), ("masks on one grid halfway (used)", one_grid)):
        print(f"rescan brain volume change (deepbet masks, {what}), {pairs} pairs: "
              f"mean {np.mean(changes):+.4f} %, SD {np.std(changes, ddof=1):.4f} %, "
              f"RMS {np.sqrt(np.mean(np.square(changes))):.4f} %, "
              f"changes {', '.join(f'{c:+.3f}' for c in changes)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rescan", type=int, default=6, help="scan-rescan pairs (0: skip)")
    parser.add_argument("--rescan-deepbet", type=int, default=0,
                        help="scan-rescan pairs with deepbet brain masks (0: skip)")
    parser.add_argument("--no-comparison", action="store_true", help="skip the 256^3 timing")
    args = parser.parse_args()
    if args.rescan_deepbet:
        bench_rescan_deepbet(args.rescan_deepbet)
    template = load_nifti(TEMPLATE)
    if args.rescan:
        bench_rescan(template, args.rescan)
    if not args.no_comparison:
        bench_comparison(template)


if __name__ == "__main__":
    main()
