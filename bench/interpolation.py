"""Slice drawing cost of linear interpolation (the default) against nearest voxel, same run.

    python bench/interpolation.py [--repeats 30]

A 512x512x300 int16 volume with a uint8 label map, 512x512 views, ``render_slice`` for each plane
(reslice + window/level + labels), zoomed 2x so every voxel covers several pixels. Prints the
median milliseconds of each mode and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from noise_image import noise_volume  # noqa: E402

from neuroview.app.view_state import ViewerState  # noqa: E402
from neuroview.core.labels import LabelMap  # noqa: E402
from neuroview.render.slices import render_slice  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    volume = noise_volume(np.random.default_rng(0), (0.5, 0.5, 1.0), modality="MR")
    array = volume.array
    labels = LabelMap.from_array((array > 900).astype(np.uint8), volume.ijk_to_ras)
    state = ViewerState.for_volume(volume)
    print(f"volume {array.shape} int16 + uint8 labels, 512x512 views zoomed 2x, {args.repeats} repeats")
    print(f"{'plane':<10} {'nearest ms':>11} {'linear ms':>10} {'ratio':>6}")
    for plane in ("axial", "sagittal", "coronal"):
        state.zoom_by(plane, 2.0)
        geom = state.geometry(plane, 512, 512)
        medians = []
        for interpolate in (False, True):
            times = []
            for _ in range(args.repeats):
                t = time.perf_counter()
                render_slice(volume, geom, state.window, state.level, labels=labels,
                             label_display=state.labels, interpolate=interpolate)
                times.append((time.perf_counter() - t) * 1000)
            medians.append(float(np.median(times)))
        print(f"{plane:<10} {medians[0]:>11.2f} {medians[1]:>10.2f} {medians[1] / medians[0]:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
