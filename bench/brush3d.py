"""A large 3D brush: the stroke's cost with the capsule measured run by run along the box's lines
and the overwrite policy's lookup skipped when it protects nothing (now) against every voxel of the
box measured and looked up (before, kept here as the reference), in one process.

    python bench/brush3d.py [--repeats 5] [--radii 10 50 100 200] [--shapes 64x64x40 256x256x160]

An int16 grid of 1 x 1 x 1.5 mm, a 3D brush stroke through the session as the window makes it
(``Session.press``, two ``drag`` moves 3 mm apart, ``release``: one undo step), each stroke on
fresh labels; the median ms of a stroke and of a mouse move per shape and radius, before -> now.
The voxels painted by both are compared. No Qt needed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def whole_box(geometry, a_ras, b_ras):
    """The 3D capsule as before: every voxel of the box measured."""
    box = geometry.box(a_ras, b_ras)
    if box is None:
        return None, None
    lo, hi = box
    a, b = np.asarray(a_ras, float), np.asarray(b_ras, float)
    grids = np.ogrid[tuple(slice(n, m) for n, m in zip(lo, hi))]
    shape = tuple(m - n for n, m in zip(lo, hi))
    mask = np.broadcast_to(geometry._within(grids, a, b), shape) | geometry._pointed(box, a, b)
    return box, np.ascontiguousarray(mask)


class Looked(np.ndarray):
    """An overwrite-policy lookup that says it protects something, so ``write_mask`` looks every
    voxel of the box up, as before (now it skips the lookup when nothing is protected)."""

    def any(self, *args, **kwargs):
        return True

    def __getitem__(self, key):
        return np.asarray(self)[key]


def stroke_ms(shape, radius: float, repeats: int, before: bool):
    from neuroview.app.session import Session
    from neuroview.core.edit import base
    from neuroview.core.edit.brush import BrushGeometry
    from neuroview.core.volume import Volume

    kept, lut = BrushGeometry.capsule, base.protected_lut
    if before:
        BrushGeometry.capsule = whole_box
        base.protected_lut = lambda *args, **kwargs: lut(*args, **kwargs).view(Looked)
    try:
        times, moves, labels = [], [], None
        for _ in range(repeats):
            volume = Volume(np.zeros(shape, np.int16), np.diag([1.0, 1.0, 1.5, 1.0]))
            session = Session(volume)
            session.segments.add("lesion")
            session.set_params("paint", radius_mm=radius, mode="3d")
            centre = volume.center_ras
            start = time.perf_counter()
            session.press("paint", centre)
            for point in ([3.0, 0.0, 0.0], [6.0, 2.0, 1.0]):
                moved = time.perf_counter()
                session.drag(centre + point)
                moves.append(time.perf_counter() - moved)
            step = session.release()
            times.append(time.perf_counter() - start)
            assert step is not None and len(session.history) == 2   # the add, and one step a stroke
            labels = session.labels.array
        return 1000 * float(np.median(times)), 1000 * float(np.median(moves)), labels
    finally:
        BrushGeometry.capsule, base.protected_lut = kept, lut


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--radii", type=float, nargs="+", default=[10.0, 50.0, 100.0, 200.0])
    parser.add_argument("--shapes", nargs="+", default=["64x64x40", "256x256x160"])
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    for text in args.shapes:
        shape = tuple(int(n) for n in text.split("x"))
        for radius in args.radii:
            before_ms, before_move, before = stroke_ms(shape, radius, args.repeats, True)
            now_ms, now_move, now = stroke_ms(shape, radius, args.repeats, False)
            same = "same voxels" if np.array_equal(before, now) else "VOXELS DIFFER"
            print(f"{text} radius {radius:g} mm: a stroke {before_ms:.1f} -> {now_ms:.1f} ms "
                  f"({before_ms / now_ms:.1f}x), a mouse move {before_move:.1f} -> {now_move:.1f} ms "
                  f"({before_move / now_move:.1f}x), {same}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
