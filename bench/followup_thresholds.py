"""What the follow-up's thresholds mean on made-up cases with a known truth (the tests' cases).

- Lesion statuses (``MatchThresholds``: 25 % and 0.05 mL): an unchanged ball lesion of radius
  1.5-8 mm counted on two studies' own grids (1 mm, 2 mm, 1.6-2.4 mm, 1 x 1 x 3 mm; its centre
  anywhere in a voxel), as ``match_lesions`` counts volumes: how often the rule calls it enlarging
  or shrinking (a false change, partial volume alone), the SD of the volume difference, and how
  often a lesion grown by half its volume is called enlarging.
- The registration warning (``HEAD_OVERLAP_MIN``): the heads' outline Dice (``head_overlap``) of
  the MNI template at 2 mm against a copy moved by a known transform on a 2.4 x 1.8 x 2.2 mm grid
  (tests/app/test_followup.py's case), with that transform and with it off by a known shift or
  turn: which registration errors the warning catches.

Run: nice -n 10 python bench/followup_thresholds.py [--pairs 400]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.followup_checks import HEAD_OVERLAP_MIN, head_overlap  # noqa: E402
from neuroview.app.followup_lesions import MatchThresholds, lesion_status  # noqa: E402
from neuroview.io.nifti import load_nifti  # noqa: E402
from tests.app.followup_cases import grid, rigid, sample  # noqa: E402

TEMPLATE = Path(__file__).resolve().parent.parent / "resources" / "demo" / "mni152_t1_1mm.nii.gz"
SPACINGS = ((1.0, 1.0, 1.0), (2.0, 2.0, 2.0), (1.0, 1.0, 3.0), "random")


def ball_volume_ml(radius: float, spacing, rng) -> float:
    """A ball's volume as a mask on an axis-aligned grid counts it: voxels whose centre is within
    ``radius`` of a centre placed anywhere in a voxel (random), times the voxel's volume."""
    spacing = np.asarray(rng.uniform(1.6, 2.4, 3) if isinstance(spacing, str) else spacing, float)
    offset = rng.uniform(0, 1, 3) * spacing
    axes = [np.arange(-np.ceil(radius / s) - 1, np.ceil(radius / s) + 2) * s - o
            for s, o in zip(spacing, offset)]
    x, y, z = np.meshgrid(*axes, indexing="ij")
    return float(np.count_nonzero(x * x + y * y + z * z <= radius * radius)) * float(np.prod(spacing)) / 1000


def lesion_statuses(pairs: int, rng) -> None:
    rule = MatchThresholds()
    print(f"Unchanged ball lesions, {pairs} pairs of grids per radius (a spacing of {SPACINGS} "
          f"each); rule: {rule.min_change_pct:g} % and {rule.min_change_ml:g} mL")
    print("radius mm | true mL | SD of change % | false change | grown x1.5 called enlarging")
    for radius in (1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0):
        true_ml = 4 / 3 * np.pi * radius ** 3 / 1000
        changes, false, found = [], 0, 0
        for _ in range(pairs):
            s0, s1 = (SPACINGS[i] for i in rng.integers(0, len(SPACINGS), 2))
            v0, v1 = ball_volume_ml(radius, s0, rng), ball_volume_ml(radius, s1, rng)
            grown = ball_volume_ml(radius * 1.5 ** (1 / 3), s1, rng)
            if v0 > 0:
                changes.append(100 * (v1 - v0) / v0)
            false += lesion_status(v0, v1, rule) in ("enlarging", "shrinking")
            found += lesion_status(v0, grown, rule) == "enlarging"
        print(f"{radius:9.1f} | {true_ml:7.3f} | {np.std(changes):14.1f} | {100 * false / pairs:11.1f} % "
              f"| {100 * found / pairs:.1f} %")


def registration_warning() -> None:
    template = load_nifti(TEMPLATE)
    b_shape, b_affine = grid(template, (2.0, 2.0, 2.0))
    f_shape, f_affine = grid(template, (2.4, 1.8, 2.2), (-10.0, 5.0, -8.0))
    truth = rigid((15.0, -15.0, 15.0), (20.0, -20.0, 20.0), template.center_ras)

    class Study:
        def __init__(self, image, affine):
            self.image, self.ijk_to_ras = image, affine

    baseline = Study(sample(template, b_shape, b_affine), b_affine)
    later = Study(sample(template, f_shape, f_affine, np.linalg.inv(truth)), f_affine)
    centre = template.center_ras
    print(f"\nHeads' outline Dice (warning under {HEAD_OVERLAP_MIN:g}), the true transform off by:")
    errors = [("nothing", np.eye(4))]
    errors += [(f"{mm:g} mm shift", rigid(shift_mm=(mm, 0, 0))) for mm in (2, 5, 10, 15, 20)]
    errors += [(f"{mm:g} mm shift up", rigid(shift_mm=(0, 0, mm))) for mm in (5, 10)]
    errors += [(f"{deg:g} deg turn", rigid((0, 0, deg), centre=centre)) for deg in (5, 10, 20, 45, 180)]
    errors += [(f"{deg:g} deg nod", rigid((deg, 0, 0), centre=centre)) for deg in (10, 20)]
    for name, error in errors:
        dice = head_overlap(baseline, later, truth @ error)
        print(f"  {name:16s} {dice:.3f}{'  warned' if dice < HEAD_OVERLAP_MIN else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lesion_statuses(args.pairs, np.random.default_rng(args.seed))
    registration_warning()


if __name__ == "__main__":
    main()
