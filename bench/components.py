"""Benchmark of the lesion list (``app.components.find_components``) on 512x512x300 masks.

What the Lesions panel, ``segment --report`` and ``Session.components`` cost: label the segment's
connected components (cc3d, 26-connected) and measure each one (volume, longest diameter through
the convex hull, centroid, jump voxel). Three masks: ``--lesions`` small spheres (20 by default),
1000 small spheres (many merge), one brain-sized ellipsoid (radii 70 x 85 x 60 mm, 3 M voxels) and
one body-sized one (radii 170 x 170 x 140 mm, 33 M voxels); 0.7 x 0.7 x 1 mm voxels.
Reference in the same run: ``cc3d.connected_components`` of the same mask alone (labelling, no
measurement), so the ratio can be compared across machines and loads. Medians over repeats.
Peak memory of one call, in a child process per mask: Python's tracemalloc peak (numpy arrays;
cc3d's own C++ buffers are not traced) and the growth of the child's ru_maxrss.

Run: nice -n 10 python bench/components.py [--lesions 20] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_seconds  # noqa: E402

from neuroview.app.components import find_components  # noqa: E402

SHAPE = (512, 512, 300)
SPACING = (0.7, 0.7, 1.0)
ELLIPSOIDS = {"brain": (70.0, 85.0, 60.0), "body": (170.0, 170.0, 140.0)}  # radii, mm


def _spheres(lesions: int, rng: np.random.Generator) -> np.ndarray:
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


def _ellipsoid(radii) -> np.ndarray:
    """An ellipsoid of ``radii`` mm, built slice by slice (no whole-volume temporaries)."""
    mask = np.zeros(SHAPE, bool)
    centre = (np.array(SHAPE) - 1) / 2
    j, k = np.ogrid[:SHAPE[1], :SHAPE[2]]
    for i in range(SHAPE[0]):
        mask[i] = (((i - centre[0]) * SPACING[0] / radii[0]) ** 2
                   + ((j - centre[1]) * SPACING[1] / radii[1]) ** 2
                   + ((k - centre[2]) * SPACING[2] / radii[2]) ** 2) <= 1
    return mask


def _mask(case: str, lesions: int) -> np.ndarray:
    if case in ELLIPSOIDS:
        return _ellipsoid(ELLIPSOIDS[case])
    return _spheres(int(case), np.random.default_rng(0))


def _memory(case: str) -> None:
    """In a child: peak memory of one call (printed as 'tracemalloc_mb maxrss_growth_mb')."""
    mask = _mask(case, 0)
    affine = np.diag([*SPACING, 1.0])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    find_components(mask, affine)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(f"{peak / 2**20:.0f} {grown / 1024:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesions", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:
        _memory(args.memory_of)
        return
    import cc3d

    affine = np.diag([*SPACING, 1.0])
    print(f"512x512x300, {SPACING} mm, median of {args.repeats}, load {os.getloadavg()[0]:.1f}")
    print(f"{'mask':>22} {'lesions':>7} {'voxels':>9} {'list s':>8} {'cc3d s':>8} {'ratio':>6}"
          f" {'traced MB':>9} {'rss+ MB':>8}")
    for case in (str(args.lesions), "1000", *ELLIPSOIDS):
        mask = _mask(case, args.lesions)
        found = find_components(mask, affine)
        ours = median_seconds(lambda mask=mask: find_components(mask, affine), args.repeats)
        reference = median_seconds(
            lambda mask=mask: cc3d.connected_components(mask, connectivity=26), args.repeats)
        child = subprocess.run([sys.executable, __file__, "--memory-of", case],
                               capture_output=True, text=True, check=True)
        traced, grown = child.stdout.split()
        name = f"{case}-sized ellipsoid" if case in ELLIPSOIDS else f"{case} spheres"
        print(f"{name:>22} {len(found):7d} {int(mask.sum()):9d} {ours:8.2f} {reference:8.3f}"
              f" {ours / reference:6.1f} {traced:>9} {grown:>8}")
    print(f"load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
