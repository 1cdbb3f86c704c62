"""Benchmark of ``ai.brain.dilate_mm`` (the margin around an extracted brain: the lesion model's
input and report masks, four per head) against the distance transform of the whole grid it
replaced, on the bundled heads' 1 mm head (the MNI brain in a synthetic skull, 269x225x233 after
the padding) and on that head at 1x1x5 mm. Both must give the same voxels. Medians over repeats;
ratios printed.

Run: nice -n 10 python bench/dilate.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_seconds  # noqa: E402

from neuroview.ai.brain import dilate_mm  # noqa: E402
from neuroview.ai.heads import synthetic_head, thick_slices  # noqa: E402
from neuroview.core.geometry import spacing_from_affine  # noqa: E402


def whole_grid(mask, affine, mm):
    """The reference: every voxel's distance from the mask, over the whole grid."""
    return ndimage.distance_transform_edt(~mask, sampling=spacing_from_affine(affine)) <= mm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    head = synthetic_head("t1")
    thick, thick_affine = thick_slices(head.brain.astype(np.float32), head.ijk_to_ras, 5, 2, order=0)
    for name, mask, affine in (("1 mm", head.brain, head.ijk_to_ras),
                               ("1x1x5 mm", thick > 0.5, thick_affine)):
        for mm in (3.0, 6.0):
            assert np.array_equal(dilate_mm(mask, affine, mm), whole_grid(mask, affine, mm))
            arguments = (mask, affine, mm)
            before = median_seconds(lambda a=arguments: whole_grid(*a), args.repeats)
            after = median_seconds(lambda a=arguments: dilate_mm(*a), args.repeats)
            print(f"{name} {mask.shape}, {mm:g} mm: whole grid {before:.2f} s, dilate_mm {after:.2f} s, "
                  f"{before / after:.1f}x faster")


if __name__ == "__main__":
    main()
