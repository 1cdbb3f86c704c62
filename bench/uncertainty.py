"""Test-time-flip benchmark: what ranking and the uncertainty overlay cost against one segmentation.

On the MNI152 demo T1 at 1 mm (cropped to ``--size``^3 around the brain centre), on the CPU:

- ``segment``: ``neuroview.ai.segment_volume`` once (the reference);
- ``flips4``: ``neuroview.ai.flip_probabilities`` with the 4 default flips in one call (one
  reorientation/normalisation/resampling, 4 sliding-window passes);
- ``separate4``: 4 calls of one flip each (what a caller without the shared preparation would pay).

Prints medians of ``--repeats`` and the ratios flips4/segment (goal about 4: one pass per flip)
and flips4/separate4 (goal <= 1).

    python bench/uncertainty.py [--repeats 3] [--threads 2] [--size 96]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _volume(size: int):
    from neuroview.core.volume import Volume
    from neuroview.io.nifti import load_nifti

    mni = load_nifti(REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    centre = np.array(mni.shape) // 2
    lo = np.maximum(centre - size // 2, 0)
    box = tuple(slice(int(a), int(a) + size) for a in lo)
    affine = mni.ijk_to_ras.copy()
    affine[:3, 3] = affine[:3, :3] @ lo + affine[:3, 3]
    return Volume(np.ascontiguousarray(np.asarray(mni.array, np.float32)[box]), affine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--size", type=int, default=96)
    args = parser.parse_args()
    import torch

    from neuroview import ai

    torch.set_num_threads(args.threads)
    volume = _volume(args.size)
    flips = ((), (0,), (1,), (2,))
    variants = {
        "segment": lambda: ai.segment_volume(volume, "lesionseg", device="cpu"),
        "flips4": lambda: ai.flip_probabilities(volume, "lesionseg", flips, "cpu"),
        "separate4": lambda: [ai.flip_probabilities(volume, "lesionseg", [f], "cpu") for f in flips],
    }
    variants["segment"]()  # load the model once
    times = {name: [] for name in variants}
    for _ in range(args.repeats):
        for name, run in variants.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"volume {volume.shape} at 1 mm, {args.threads} threads, median of {args.repeats}")
    for name, value in median.items():
        print(f"  {name:<10} {value:7.2f} s")
    print(f"flips4 / segment   = {median['flips4'] / median['segment']:.2f}  (goal ~4)")
    print(f"flips4 / separate4 = {median['flips4'] / median['separate4']:.2f}  (goal <= 1)")


if __name__ == "__main__":
    main()
