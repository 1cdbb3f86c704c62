"""Benchmark: how long the GUI thread holds on to the crash journal's writes, before and now.

1. Load labels with a workspace journal (a 60-label atlas replacing an empty map): before, the GUI
   thread appended the whole step (changed-voxel mask, old and new values) and fsync'ed it; now a
   worker writes those voxels to a blob file (fsync'ed) and the GUI thread appends a record naming
   it (``core.journal.write_blob``, ``Session.apply_labels``).
2. The compaction after Send to training set, Save labels as DICOM SEG and Save to PACS: before,
   ``Session.mark_saved`` compacted on the GUI thread (the label map compressed into a base,
   fsync'ed); now the GUI thread copies the map (``Session.begin_checkpoint``), a worker writes
   the base, and the GUI thread switches to it (``Session.end_checkpoint``: one small atomic
   rename). (The SEG file itself is written as before; Save to PACS sends from a worker.)
3. Save labels: before, ``Session.save_labels`` wrote the NIfTI file and its sidecar on the GUI
   thread and compacted there; then (session 11) the compaction went to a worker; now the file is
   written by a worker too, from a copy of the label map the GUI thread takes
   (``Case.labels_snapshot``, ``Case.write_labels``, ``ui.background_save``). Printed: the GUI
   thread's time for all three, and the worker's now.

Each is timed in one process, fresh workspace per repeat, median of ``--repeats``; the ratio is
GUI-thread time before / now. The worker's time (which the window no longer waits for) is shown.

Run: python bench/journal_hold.py [--size 256] [--repeats 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_labels import atlas  # noqa: E402

from neuroview.app.label_files import labels_step, prepare_labels  # noqa: E402
from neuroview.app.session import Session  # noqa: E402
from neuroview.core import geometry  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402


def _median(values):
    return float(np.median(values))


def load_labels(volume, mask, repeats):
    prepared = prepare_labels(mask, volume, "atlas.nii.gz")
    before, now, worker = [], [], []
    for _ in range(repeats):
        for blob, gui in ((False, before), (True, now)):
            with tempfile.TemporaryDirectory() as folder:
                session = Session(volume, Path(folder) / "ws")
                current = session.labels.array.copy()
                start = time.perf_counter()
                step = labels_step(prepared, current, [], session.version,
                                   session.journal.folder if blob else None)
                if blob:
                    worker.append(time.perf_counter() - start)
                start = time.perf_counter()
                session.apply_labels(prepared, step)
                gui.append(time.perf_counter() - start)
                session.close()
    return _median(before), _median(now), _median(worker), None


def compaction_after_a_save(volume, mask, repeats):
    """GUI-thread time of ``Session.mark_saved`` with the compaction in it (before) and with the
    compaction's base written by a worker (now)."""
    prepared = prepare_labels(mask, volume, "atlas.nii.gz")
    before, now, worker = [], [], []
    for _ in range(repeats):
        for background, gui in ((False, before), (True, now)):
            with tempfile.TemporaryDirectory() as folder:
                session = Session(volume, Path(folder) / "ws")
                session.apply_labels(prepared)
                start = time.perf_counter()
                session.mark_saved(session.version, not background)
                held = time.perf_counter() - start
                if background:
                    start = time.perf_counter()
                    checkpoint = session.begin_checkpoint()
                    held += time.perf_counter() - start
                    start = time.perf_counter()
                    checkpoint.write()
                    worker.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    assert session.end_checkpoint(checkpoint)
                    held += time.perf_counter() - start
                gui.append(held)
                assert session.journal.generation == 1
                session.close()
    return _median(before), _median(now), _median(worker), None


def save_labels(volume, mask, repeats):
    """GUI-thread time of Save labels: everything there (before), the file there and the base in a
    worker (session 11), the copy there and the file and the base in workers (now)."""
    from neuroview.app.case import Case

    prepared = prepare_labels(mask, volume, "atlas.nii.gz")
    before, file_on_gui, now, worker = [], [], [], []
    for _ in range(repeats):
        for way, gui in (("before", before), ("file on gui", file_on_gui), ("now", now)):
            with tempfile.TemporaryDirectory() as folder:
                session = Session(volume, Path(folder) / "ws")
                session.apply_labels(prepared)
                path = Path(folder) / "labels.nii.gz"
                start = time.perf_counter()
                if way == "now":
                    case = Case(session, session.journal.folder)
                    labels, version = case.labels_snapshot()
                    held = time.perf_counter() - start
                    start = time.perf_counter()
                    case.write_labels(path, labels)
                    worked = time.perf_counter() - start
                    start = time.perf_counter()
                    session.mark_saved(version, compact=False)
                else:
                    session.save_labels(path, compact=way == "before")
                    held, worked = 0.0, 0.0
                checkpoint = session.begin_checkpoint()
                held += time.perf_counter() - start
                if checkpoint is not None:
                    start = time.perf_counter()
                    checkpoint.write()
                    worked += time.perf_counter() - start
                    start = time.perf_counter()
                    assert session.end_checkpoint(checkpoint)
                    held += time.perf_counter() - start
                gui.append(held)
                if way == "now":
                    worker.append(worked)
                assert session.journal.generation == 1 and not session.modified
                session.close()
    return _median(before), _median(file_on_gui), _median(now), _median(worker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    affine = geometry.affine_from_spacing((1.0, 1.0, 1.0), (-128, -128, -128))
    volume = Volume(np.zeros((args.size,) * 3, np.int16), affine)
    mask = Volume(atlas(args.size), affine)
    print(f"{args.size}^3 label map, 60 labels, median of {args.repeats}:")
    for name, measure in (("Load labels", load_labels),
                          ("Compaction after Send to training set, DICOM SEG, PACS",
                           compaction_after_a_save)):
        before, now, worker, _ = measure(volume, mask, args.repeats)
        print(f"  {name}: GUI thread before {before * 1000:7.1f} ms, now {now * 1000:6.1f} ms "
              f"({before / now:.1f}x less); the worker now {worker * 1000:7.1f} ms")
    before, file_on_gui, now, worker = save_labels(volume, mask, args.repeats)
    print(f"  Save labels: GUI thread before {before * 1000:7.1f} ms, with the file written there "
          f"{file_on_gui * 1000:6.1f} ms, now {now * 1000:6.1f} ms ({file_on_gui / now:.1f}x less "
          f"than with the file there); the workers now {worker * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
