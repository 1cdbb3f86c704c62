"""CPU time, iterations and landmark error of ``register`` on the follow-up tests' known transforms.

Cases (the MNI template moved by known transforms, as in ``tests/app/test_followup.py``): ``rigid``
(2 mm against 2.4 x 1.8 x 2.2 mm, turned 15 degrees and shifted 20 mm along each axis),
``affine`` (also stretched by 4, -3 and 2 %), ``rigid_of_affine`` (a rigid registration of that
stretched pair: cannot follow it, error over 1 mm), ``fine`` (1 mm against 0.9 x 1.1 x 1.0 mm) and
``small`` (3 mm, turned 5 degrees), and ``--random N`` more rigid ones (2 mm against 1.7-2.4 mm
voxels, within 15 degrees and 20 mm, seed 11). ``--sigmas 2 1 0`` runs them with other smoothing
sigmas per level (mm) than :data:`neuroview.io.registration.SMOOTHING_MM`, ``--sampling 0.5 0.5
0.5`` with other shares of voxels sampled per level than :data:`~neuroview.io.registration.
SAMPLING`, to compare. Run with ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS=1 for CPU times that do not
depend on the number of cores.

Run: nice -n 10 python bench/registration_levels.py [--sigmas 2 1 0] [--sampling 0.5 0.5 0.5]
     [--random N] [CASE ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.followup_brain import brain_mask_by_threshold  # noqa: E402
from neuroview.io import registration  # noqa: E402
from neuroview.io.nifti import load_nifti  # noqa: E402
from tests.app.followup_cases import grid, rigid, sample  # noqa: E402
from tests.app.test_followup import landmark_error  # noqa: E402

TEMPLATE = Path(__file__).resolve().parent.parent / "resources" / "demo" / "mni152_t1_1mm.nii.gz"


def cases(mni, random: int = 0):
    centre = mni.center_ras
    rng = np.random.default_rng(11)
    extra = {f"random{n}": ((2, 2, 2), (0, 0, 0), tuple(rng.uniform(1.7, 2.4, 3)),
                            tuple(rng.uniform(-10, 20, 3)),
                            rigid(rng.uniform(-15, 15, 3), rng.uniform(-20, 20, 3), centre), "rigid")
             for n in range(random)}
    stretched = rigid((-15.0, 15.0, -15.0), (-20.0, 20.0, -20.0), centre)
    stretched[:3, :3] = stretched[:3, :3] @ np.diag([1.04, 0.97, 1.02])
    return {  # (baseline spacing, its margin, later spacing, its margin, truth, kind)
        "rigid": ((2, 2, 2), (0, 0, 0), (2.4, 1.8, 2.2), (20, -5, 15),
                  rigid((15, -15, 15), (20, -20, 20), centre), "rigid"),
        "affine": ((2, 2, 2), (0, 0, 0), (2.2, 1.9, 2.1), (20, 5, 15), stretched, "affine"),
        "rigid_of_affine": ((2, 2, 2), (0, 0, 0), (2.2, 1.9, 2.1), (20, 5, 15), stretched, "rigid"),
        "fine": ((1, 1, 1), (-12, -12, -12), (0.9, 1.1, 1.0), (-5, -15, -8),
                 rigid((-10, 7, 12), (-12, 9, -15), centre), "rigid"),
        "small": ((3, 3, 3), (0, 0, 0), (3, 3, 3), (0, 0, 0), rigid((6, -4, 5), (5, -4, 3), centre),
                  "rigid"),
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*")
    parser.add_argument("--sigmas", type=float, nargs=3)
    parser.add_argument("--sampling", type=float, nargs=3)
    parser.add_argument("--random", type=int, default=0)
    args = parser.parse_args()
    if args.sigmas:
        registration.SMOOTHING_MM = tuple(args.sigmas)
    if args.sampling:
        registration.SAMPLING = tuple(args.sampling)
    mni = load_nifti(TEMPLATE)
    known = cases(mni, args.random)
    total = 0.0
    print(f"smoothing sigmas per level (mm): {registration.SMOOTHING_MM}, "
          f"share of voxels sampled per level: {registration.SAMPLING}")
    for name in args.cases or list(known):
        b_spacing, b_margin, f_spacing, f_margin, truth, kind = known[name]
        b_shape, b_affine = grid(mni, b_spacing, b_margin)
        f_shape, f_affine = grid(mni, f_spacing, f_margin)
        baseline = sample(mni, b_shape, b_affine)
        later = sample(mni, f_shape, f_affine, np.linalg.inv(truth))
        start = time.process_time()
        result = registration.register(baseline, b_affine, later, f_affine, brain_mask_by_threshold(baseline),
                                       brain_mask_by_threshold(later), kind=kind)
        cpu = time.process_time() - start
        total += cpu
        error = landmark_error(result.fixed_to_moving, truth, mni.center_ras)
        print(f"{name:16s} {kind:6s} CPU {cpu:6.2f} s, finest-level iterations {result.iterations:3d}, "
              f"landmark error mean {error.mean():.3f} mm, max {error.max():.3f} mm", flush=True)
    print(f"CPU in all: {total:.1f} s")


if __name__ == "__main__":
    main()
