"""*Mean over time...* of an ellipse on a CT perfusion run (``app.region_curve``): seconds for
the 30 time points' figures, against one time point's figures read as the view reads them when
stepped (each reading the voxels for their unit) as the reference.

    python bench/region_curve.py [--repeats 5]

A 512x512x64x30 int16 run (0.5 x 0.5 x 5 mm, 1 GB), a 317-voxel ellipse. Prints the medians and
their ratio; the curve's 30 time points should cost about as much as a few of the view's steps.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from neuroview.app.frames import frame_volume
    from neuroview.app.region_curve import region_over_time
    from neuroview.app.view_measure import Ellipse
    from neuroview.core.volume import Volume

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    run = np.random.default_rng(0).integers(-100, 500, (512, 512, 64, 30)).astype(np.int16)
    volume = Volume(array=run, ijk_to_ras=np.diag([0.5, 0.5, 5.0, 1.0]), modality="CT",
                    intensity_unit="HU", axis4="time", source_metadata={"frame_interval_s": "1.5"})
    ellipse = Ellipse("axial", np.array([100.0, 100, 160]), np.array([110.0, 110, 160]),
                      np.array([[1.0, 0, 0], [0, -1, 0], [0, 0, -1]]), 5.0)
    curve, step = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        region_over_time(volume, ellipse)
        curve.append(time.perf_counter() - start)
        start = time.perf_counter()
        ellipse.read(frame_volume(volume, 7))
        step.append(time.perf_counter() - start)
    a, b = statistics.median(curve), statistics.median(step)
    print(f"30 time points: {a:.3f} s; one view step's figures: {b:.3f} s; ratio {a / b:.1f}")


if __name__ == "__main__":
    main()
