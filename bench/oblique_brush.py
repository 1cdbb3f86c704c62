"""A big 2D brush dragged in a resliced view of an oblique series, against the same on a series
aligned with its grid, in one process.

    python bench/oblique_brush.py [--repeats 9] [--radii 10 50 100]

A 256x256x100 1 mm grid (aligned, and tilted 14, 9 and 17 degrees about x, y, z), an axial 2D
brush (``Session.press`` then ``drag`` 2 mm further each move): the median ms of a mouse move
per radius, and oblique / aligned. No Qt needed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def tilted(ax: float, ay: float, az: float) -> np.ndarray:
    from scipy.spatial.transform import Rotation

    return Rotation.from_euler("xyz", [ax, ay, az]).as_matrix()


def move_ms(rotation: np.ndarray, radius: float, repeats: int) -> float:
    from neuroview.app.session import Session
    from neuroview.core.volume import Volume

    shape = (256, 256, 100)
    affine = np.eye(4)
    affine[:3, :3] = rotation
    affine[:3, 3] = -rotation @ ((np.asarray(shape) - 1) / 2.0)
    volume = Volume(np.zeros(shape, np.int16), affine)
    session = Session(volume)
    session.segments.add("lesion")
    session.set_params("paint", radius_mm=radius, mode="2d")
    centre = volume.center_ras
    session.press("paint", centre, view=(0.0, 0.0, 1.0), plane_ras=tuple(centre))
    times = []
    for k in range(repeats):
        start = time.perf_counter()
        session.drag(centre + [2.0 * (k + 1), 0.0, 0.0])
        times.append(time.perf_counter() - start)
    session.release()
    return 1000 * float(np.median(times))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--radii", type=float, nargs="+", default=[10.0, 50.0, 100.0])
    args = parser.parse_args()
    oblique = tilted(0.25, -0.15, 0.3)
    for radius in args.radii:
        aligned_ms = move_ms(np.eye(3), radius, args.repeats)
        oblique_ms = move_ms(oblique, radius, args.repeats)
        print(f"radius {radius:g} mm: aligned {aligned_ms:.1f} ms, oblique {oblique_ms:.1f} ms a move "
              f"(oblique / aligned {oblique_ms / aligned_ms:.1f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
