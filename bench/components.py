"""Benchmark of the lesion list (``app.components.find_components``) on a 512x512x300 label map.

What the Lesions panel costs after an edit: label the segment's connected components (cc3d,
26-connected) and measure each one (volume, longest diameter through the convex hull, centroid,
jump voxel). Reference in the same run: ``scipy.ndimage.label`` of the same mask (26-connected),
labelling alone with no measurement. Medians over repeats; ratios printed.

Run: nice -n 10 python bench/components.py [--lesions 20] [--repeats 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_seconds  # noqa: E402

from neuroview.app.components import find_components  # noqa: E402

SHAPE = (512, 512, 300)
SPACING = (0.7, 0.7, 1.0)


def _mask(lesions: int, rng: np.random.Generator) -> np.ndarray:
    mask = np.zeros(SHAPE, bool)
    for _ in range(lesions):
        radius = rng.uniform(2.0, 15.0)  # mm
        centre = rng.uniform(40, np.array(SHAPE) - 40)
        reach = np.ceil(radius / np.array(SPACING)).astype(int) + 1
        lo, hi = np.maximum(centre.astype(int) - reach, 0), np.minimum(centre.astype(int) + reach, SHAPE)
        ijk = np.indices(hi - lo).reshape(3, -1).T + lo
        inside = np.linalg.norm((ijk - centre) * SPACING, axis=1) <= radius
        mask[tuple(ijk[inside].T)] = True
    return mask


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesions", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from scipy import ndimage

    mask = _mask(args.lesions, np.random.default_rng(0))
    affine = np.diag([*SPACING, 1.0])
    found = find_components(mask, affine)
    ours = median_seconds(lambda: find_components(mask, affine), args.repeats)
    reference = median_seconds(lambda: ndimage.label(mask, structure=np.ones((3, 3, 3))), args.repeats)
    print(f"512x512x300 mask, {len(found)} components, {mask.sum()} voxels, median of {args.repeats}")
    print(f"lesion list (label + measure)   {ours * 1000:8.1f} ms")
    print(f"scipy.ndimage.label (reference) {reference * 1000:8.1f} ms")
    print(f"ratio lesion list / reference   {ours / reference:8.2f}")


if __name__ == "__main__":
    main()
