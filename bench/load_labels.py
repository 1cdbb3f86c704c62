"""Benchmark of File > Load labels: the time the GUI thread is busy with a 256^3 atlas.

Before, the window read the file in a worker and then, on the GUI thread, checked the label
values (``check_label_values``: a bincount and, past 32 labels, a pass over face neighbours),
listed them with ``np.unique`` and wrote them as one undo step. Now the check and the list run in
the worker (``app.label_files.prepare_labels``) and the GUI thread only writes the step
(``Session.apply_labels``). Both are measured here in one process, medians over repeats; the
ratio is the GUI-thread time of the old path over the new one.

Run: python bench/load_labels.py [--size 256] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.label_files import prepare_labels  # noqa: E402
from neuroview.app.session import Session  # noqa: E402
from neuroview.core import geometry  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402


def atlas(size: int) -> np.ndarray:
    """60 labels in slabs of blocks: an atlas-like label map (past 32 labels: the full check)."""
    labels = np.zeros((size,) * 3, np.uint8)
    step = size // 8
    for value in range(1, 61):
        i, j = divmod(value - 1, 8)
        labels[i * step:(i + 1) * step, j * step:(j + 1) * step, size // 8: -size // 8] = value
    return labels


def timed(function, *args):
    """(seconds, result) of ``function(*args)``."""
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    affine = geometry.affine_from_spacing((1.0, 1.0, 1.0), (-128, -128, -128))
    volume = Volume(np.zeros((args.size,) * 3, np.int16), affine)
    mask = Volume(atlas(args.size), affine)
    old, new, worker = [], [], []
    for _ in range(args.repeats):
        old.append(timed(Session(volume).load_label_volume, mask, "atlas.nii.gz")[0])  # one thread
        seconds, prepared = timed(prepare_labels, mask, volume, "atlas.nii.gz")
        worker.append(seconds)
        new.append(timed(Session(volume).apply_labels, prepared)[0])
    old_s, new_s, worker_s = (statistics.median(t) for t in (old, new, worker))
    print(f"load labels {args.size}^3, 60 labels, median of {args.repeats}:")
    print(f"  GUI thread before (check + np.unique + undo step): {old_s * 1000:8.1f} ms")
    print(f"  GUI thread now (undo step only):                   {new_s * 1000:8.1f} ms")
    print(f"  worker now (check + values):                       {worker_s * 1000:8.1f} ms")
    print(f"  GUI-thread time, before / now: {old_s / new_s:.1f}x")


if __name__ == "__main__":
    main()
