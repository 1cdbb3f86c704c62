"""Benchmark of File > Load labels: the time the GUI thread is busy with a 256^3 atlas.

At first the window read the file in a worker and then, on the GUI thread, checked the label
values, listed them and wrote them as one undo step. Then the check and the list moved to the
worker (``app.label_files.prepare_labels``) and the GUI thread wrote the step
(``Session.apply_labels``: the changed-voxel mask, old and new values of the whole volume, about
0.67 s). Now the worker also computes that step (``label_files.labels_step``, against a copy of
the label map taken when the load starts) and the GUI thread copies the snapshot, copies the
voxels in and commits the ready diff (history, counts, the crash journal when there is one).
All three are measured here in one process, medians over repeats, without and with a workspace
journal (the window always has one); the ratios are GUI-thread times over the new one.

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

from neuroview.app.label_files import labels_step, prepare_labels  # noqa: E402
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
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    affine = geometry.affine_from_spacing((1.0, 1.0, 1.0), (-128, -128, -128))
    volume = Volume(np.zeros((args.size,) * 3, np.int16), affine)
    mask = Volume(atlas(args.size), affine)
    prepared = prepare_labels(mask, volume, "atlas.nii.gz")
    print(f"load labels {args.size}^3, 60 labels, median of {args.repeats}:")
    for journal in (False, True):
        first, before, now, worker = [], [], [], []
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as folder:
                def session(name, folder=folder, journal=journal):
                    return Session(volume, Path(folder) / name if journal else None)

                first.append(timed(session("a").load_label_volume, mask, "atlas.nii.gz")[0])
                before.append(timed(session("b").apply_labels, prepared)[0])
                target = session("c")
                gui_copy, current = timed(target.labels.array.copy)        # GUI thread, at the start
                seconds, step = timed(labels_step, prepared, current, [], target.version)
                worker.append(seconds)
                now.append(gui_copy + timed(target.apply_labels, prepared, step)[0])
        first_s, before_s, now_s, worker_s = (statistics.median(t) for t in (first, before, now, worker))
        print(f" {'with' if journal else 'without'} a workspace journal:")
        print(f"  GUI thread at first (check + values + undo step): {first_s * 1000:8.1f} ms")
        print(f"  GUI thread before (undo step computed there):     {before_s * 1000:8.1f} ms")
        print(f"  GUI thread now (snapshot, copy, ready step):      {now_s * 1000:8.1f} ms")
        print(f"  worker now, the step alone (mask, diff, result):  {worker_s * 1000:8.1f} ms")
        print(f"  GUI-thread time, first / now: {first_s / now_s:.1f}x; "
              f"before / now: {before_s / now_s:.1f}x")


if __name__ == "__main__":
    main()
