"""Benchmark of Compare readers / Adjudicate on a brain-sized grid: what the background job costs.

Three made-up readers on a 256 x 256 x 160 grid (1 mm), each outlining the same 30 spherical
lesions (radius 2-7 mm) with their own errors (one draws 1 voxel larger, one 1 voxel smaller and
misses 3 lesions, one adds 5 false lesions). Timed: the agreement (3 pairs: Dice, HD95, lesion
F1, volume; STAPLE with SimpleITK), the lesion matching of the adjudication, and the adjudicated
mask from one choice per lesion. The reference is one Euclidean distance transform of the whole
grid (``scipy.ndimage.distance_transform_edt``), a fixed unit of work on this machine (the 95 %
Hausdorff distance pairs the surface voxels' world positions with a k-d tree instead).
Medians of CPU time over repeats.

Run: python bench/readers.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

import numpy as np
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_seconds  # noqa: E402

# CPU seconds of this process: wall time on a machine shared with other work says more about the
# other work (numpy and scipy run these steps on one thread)
cpu_median = functools.partial(median_seconds, clock=time.process_time)

from neuroview.dataset.adjudication import adjudicate, lesion_groups  # noqa: E402
from neuroview.dataset.agreement import pairwise, staple  # noqa: E402

SHAPE = (256, 256, 160)


def readers() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    centres = rng.uniform([40, 40, 30], [216, 216, 130], size=(35, 3))
    radii = rng.uniform(2, 7, size=35)
    grid = np.indices(SHAPE, dtype=np.float32)

    def balls(which, grow=0.0):
        mask = np.zeros(SHAPE, bool)
        for n in which:
            lo = np.maximum((centres[n] - radii[n] - 3).astype(int), 0)
            hi = np.minimum((centres[n] + radii[n] + 4).astype(int), SHAPE)
            box = tuple(slice(a, b) for a, b in zip(lo, hi))
            d2 = sum((grid[axis][box] - centres[n][axis]) ** 2 for axis in range(3))
            mask[box] |= d2 <= (radii[n] + grow) ** 2
        return mask

    return {"ann": balls(range(30)), "bob": balls(range(30), 1.0),
            "cat": balls(list(range(3, 30)) + list(range(30, 35)), -1.0)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    masks = readers()
    reference = cpu_median(lambda: ndimage.distance_transform_edt(~masks["ann"]), args.repeats)
    agreement = cpu_median(lambda: (pairwise(masks, (1.0, 1.0, 1.0)), staple(masks)), args.repeats)
    groups = lesion_groups(masks)
    matching = cpu_median(lambda: lesion_groups(masks), args.repeats)
    choices = {g.number: "bob" for g in groups}
    consensus = staple(masks).mask
    adjudicated = cpu_median(lambda: adjudicate(masks, groups, choices, consensus, "senior"), args.repeats)
    print(f"grid {SHAPE}, 3 readers, {len(groups)} lesion groups, median of {args.repeats}")
    print(f"reference: one distance transform of the grid  {reference:7.2f} s CPU")
    for name, seconds in (("agreement (3 pairs + STAPLE)", agreement), ("lesion matching", matching),
                          ("adjudicated mask", adjudicated)):
        print(f"{name:32s} {seconds:7.2f} s CPU = {seconds / reference:5.2f} x reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
