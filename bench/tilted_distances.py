"""Benchmark of the world distances that a gantry-tilted (sheared) grid sends to a k-d tree
(``core.world_distance``), beside the same work on an untilted grid, where scipy's distance
transform does it: the AI click's corrections on a 64^3 window holding an 18 x 14 x 16 mm
ellipsoid with one exclude click (``ai.interactive.local``), and the brain's margin
(``ai.brain.dilate_mm``) around a 130 x 160 x 120 mm ellipsoid. Medians of process CPU time and
wall time (``--repeats``).

Run: nice -n 10 python bench/tilted_distances.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_seconds  # noqa: E402

from neuroview.ai import brain  # noqa: E402
from neuroview.ai.interactive import PointPrompt, PromptSet, local  # noqa: E402


def tilted(sizes, degrees: float) -> np.ndarray:
    """Slice axis k sheared ``degrees`` toward j, the grid rotated 10 degrees about i."""
    linear = np.diag(np.asarray(sizes, float))
    linear[1, 2] = sizes[2] * np.tan(np.radians(degrees))
    c, s = np.cos(np.radians(10)), np.sin(np.radians(10))
    affine = np.eye(4)
    affine[:3, :3] = np.array([[1, 0, 0], [0, c, -s], [0, s, c]]) @ linear
    return affine


def ellipsoid(shape, affine, radii_mm) -> np.ndarray:
    world = np.indices(shape).reshape(3, -1).T @ affine[:3, :3].T
    middle = (np.asarray(shape) // 2) @ affine[:3, :3].T
    return (np.sum(((world - middle) / radii_mm) ** 2, axis=1) <= 1).reshape(shape)


def times(function, repeats: int) -> str:
    cpu = median_seconds(function, repeats, clock=time.process_time)
    wall = median_seconds(function, repeats)
    return f"{cpu * 1e3:.0f} ms CPU, {wall * 1e3:.0f} ms wall"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for name, sizes, degrees in (("1 mm untilted", (1.0, 1.0, 1.0), 0),
                                 ("0.8x0.8x1.5 mm tilted 25 degrees", (0.8, 0.8, 1.5), 25)):
        affine = tilted(sizes, degrees)
        mask = ellipsoid((64, 64, 64), affine, (18.0, 14.0, 16.0))
        point = affine[:3, :3] @ np.array([32.2, 30.7, 32.3])
        prompts = PromptSet([PointPrompt(tuple(point), include=False)])
        answer = mask.copy()
        answer[28:40] = False
        correct = partial(local.corrected_parts, mask, answer, prompts, (0, 0, 0), affine)
        anchor = partial(local.anchor_prompt, prompts, mask, affine, 30.0)
        print(f"{name}, 64^3 window: corrected_parts", times(correct, args.repeats),
              "| anchor_prompt", times(anchor, args.repeats))
    for name, sizes, degrees, shape in (
            ("1 mm untilted", (1.0, 1.0, 1.0), 0, (180, 216, 180)),
            ("0.5x0.5x5 mm tilted 20 degrees", (0.5, 0.5, 5.0), 20, (360, 420, 34))):
        affine = tilted(sizes, degrees)
        mask = ellipsoid(shape, affine, (65.0, 80.0, 60.0))
        for mm in (3.0, 6.0):
            print(f"dilate_mm {mm:g} mm, {name} {shape}:",
                  times(partial(brain.dilate_mm, mask, affine, mm), max(1, args.repeats // 2)))


if __name__ == "__main__":
    main()
