"""Slice drawing cost of an overlay series (*View > Other series > Overlay series...*) against the
image alone,
same run.

    python bench/overlay.py [--repeats 20]

A 512x512x300 int16 volume (0.5 x 0.5 x 1 mm) with a uint8 label map, and a FLAIR-like overlay of
another grid: 256x256x60 float32 at 0.9 x 0.9 x 3.5 mm, turned 12 and 20 degrees (an oblique
acquisition, sampled through ``map_coordinates``) or axis-aligned. 512x512 views, ``render_view``
for each plane, opacity 0.5. Prints the median milliseconds of each and their ratio to the image
alone; and ``W/L``: a window/level step over the oblique overlay, the image's, labels' and
overlay's values kept from the picture before (what a slice view re-maps: ``ui.slice_picture``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from noise_image import noise_volume  # noqa: E402
from timing import median_seconds  # noqa: E402

from neuroview.app.fusion import FusionLayer  # noqa: E402
from neuroview.app.view_state import ViewerState  # noqa: E402
from neuroview.core.labels import LabelMap  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.render.slices import render_view  # noqa: E402


def turned(degrees_x: float, degrees_z: float) -> np.ndarray:
    ax, az = np.radians(degrees_x), np.radians(degrees_z)
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    return rz @ rx


def overlay_volume(oblique: bool) -> Volume:
    shape, spacing = (256, 256, 60), np.array([0.9, 0.9, 3.5])
    affine = np.eye(4)
    affine[:3, :3] = (turned(20, 12) if oblique else np.eye(3)) @ np.diag(spacing)
    affine[:3, 3] = [128.0, 128.0, 150.0] - affine[:3, :3] @ ((np.array(shape) - 1) / 2)
    values = np.random.default_rng(1).random(shape, dtype=np.float32) * 1000
    return Volume(values, affine, modality="MR")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    volume = noise_volume(np.random.default_rng(0), (0.5, 0.5, 1.0), modality="MR")
    array = volume.array
    labels = LabelMap.from_array((array > 990).astype(np.uint8), volume.ijk_to_ras)
    state = ViewerState.for_volume(volume)
    overlays = {"aligned": overlay_volume(False), "oblique": overlay_volume(True)}
    print(f"image {array.shape} int16 + labels; overlay 256x256x60 float32; 512x512 views; "
          f"median of {args.repeats}")
    print(f"{'plane':<10} {'alone ms':>9} {'aligned ms':>11} {'ratio':>6} {'oblique ms':>11} {'ratio':>6}"
          f" {'W/L ms':>7} {'ratio':>6}")
    for plane in ("axial", "sagittal", "coronal"):
        def draw(plane=plane):
            render_view(volume, state, plane, 512, 512, labels=labels)

        state.fusion = None
        alone = median_seconds(draw, args.repeats) * 1000
        row = [f"{plane:<10} {alone:>9.1f}"]
        for name in ("aligned", "oblique"):
            state.fusion = FusionLayer.for_volume(overlays[name])
            ms = median_seconds(draw, args.repeats) * 1000
            row.append(f"{ms:>11.1f} {ms / alone:>6.2f}")
        kept = render_view(volume, state, plane, 512, 512, labels=labels)
        steps = iter(range(10**6))

        def remap(plane=plane, kept=kept, steps=steps):   # the window and level moved, values kept
            i = next(steps)
            state.window, state.level = 1000.0 + 10 * (i % 2), 500.0 + 5 * (i % 3)
            render_view(volume, state, plane, 512, 512, labels=labels, sampled=kept.sampled,
                        sampled_labels=kept.labels, sampled_fusion=kept.fusion)

        ms = median_seconds(remap, args.repeats) * 1000
        row.append(f"{ms:>7.1f} {ms / alone:>6.2f}")
        print(" ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
