"""The 3D view's averaging down of a big CT (``prepare3d.block_mean``) against every n-th voxel.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/render3d_average.py [--repeats 5]

A synthetic 512x512x600 int16 CT (0.7 mm pixels, 0.6 mm slices: a 40 HU body, a spine of
vertebrae with 900 HU cortex along a gentle curve) goes through ``prepare_volume`` (what the
3D view's worker runs for a new image) with the block mean and, as the reference in the same run,
with every 3rd voxel; medians of ``--repeats`` and their ratio. ``--pictures DIR`` writes the
first frame of each ("CT bone", seen from behind the spine) to compare by eye.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def spine_ct() -> "object":
    from neuroview.core.volume import Volume

    shape, sizes = (512, 512, 600), np.array([0.7, 0.7, 0.6])
    x = (np.arange(shape[0]) - 255.5) * sizes[0]
    y = (np.arange(shape[1]) - 255.5) * sizes[1]
    hu = np.full(shape, -1000, np.int16)
    body = ((x[:, None] / 160) ** 2 + (y[None, :] / 110) ** 2) < 1
    hu[body] = 40
    for k in range(shape[2]):
        z = k * sizes[2]
        cx, cy = 12 * np.sin(z / 90), 60 + 8 * np.cos(z / 70)   # a spine's gentle curve
        r = np.hypot(x[:, None] - cx, y[None, :] - cy)
        level = (z % 30) < 26                                     # vertebrae, discs between
        if level:
            hu[:, :, k][r < 18] = 900
            hu[:, :, k][r < 15.5] = 250
    return Volume(hu, np.diag([*sizes, 1.0]), modality="CT", intensity_unit="HU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pictures", type=Path)
    args = parser.parse_args()
    from neuroview.render import prepare3d

    volume = spine_ct()
    ways = {"every 3rd voxel": prepare3d.subsample, "block mean": prepare3d.block_mean}
    times = {name: [] for name in ways}
    original = prepare3d.block_mean
    for _ in range(args.repeats):
        for name, way in ways.items():
            prepare3d.block_mean = way
            start = time.perf_counter()
            prepare3d.prepare_volume(volume, "CT bone")
            times[name].append(time.perf_counter() - start)
    prepare3d.block_mean = original
    load = os.getloadavg()[0]
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, value in medians.items():
        print(f"prepare_volume, {name}: median {value:.3f} s of {args.repeats} (load {load:.1f})")
    print(f"ratio block mean / every 3rd voxel: {medians['block mean'] / medians['every 3rd voxel']:.2f}")
    if args.pictures:
        from PIL import Image

        from neuroview.render.volume3d import Scene3D

        args.pictures.mkdir(parents=True, exist_ok=True)
        for name, way in ways.items():
            prepare3d.block_mean = way
            scene = Scene3D(500, 700)
            try:
                scene.set_volume(volume, "CT bone")
                camera = scene.renderer.GetActiveCamera()
                camera.Azimuth(180)   # from behind: the spine faces the camera
                scene.renderer.ResetCameraClippingRange()
                camera.Zoom(1.6)
                Image.fromarray(scene.render(500, 700)).save(args.pictures / f"{name.replace(' ', '_')}.png")
            finally:
                scene.close()
        prepare3d.block_mean = original


if __name__ == "__main__":
    main()
