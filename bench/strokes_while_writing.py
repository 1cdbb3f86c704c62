"""Benchmark: the GUI thread's time per brush stroke in the window while a worker writes the labels.

A 256^3 image (int16, 1 mm) opens in the window (offscreen, 1400x900, one row of slice views),
its label map holding two big segments as after a model's result (``compaction_block.big_segments``),
and 5 mm 2D brush strokes are painted on the axial view with mouse events (``paint3d.stroke``:
press, 12 moves, release, the event loop run after each) while, in turn,

- nothing runs in the background;
- the crash journal is compacted by a worker (``ui.compaction.compact_in_background``: the label
  map compressed into the workspace's base and fsync'ed);
- *Save labels* writes ``labels.nii.gz`` with its sidecar in a worker (``ui.background_save``).

each written as before session 50 and now: before, the base by ``np.savez_compressed`` (a copy of
the whole label map made holding Python's interpreter lock, then one deflate call) and the NIfTI
file of the window's C-ordered label map by nibabel's writer (each slice gathered by a
``tobytes`` holding the lock); now a chunk at a time without a copy (``core.npz_file``) and in
pieces that numpy puts in NIfTI's order with the lock let go (``io.nifti.fortran_pieces``).

Per stroke: the wall time from the press until the release and its drawing are done (what the
annotator waits for), and of it the time the GUI thread was ready to run but waited for a core
(the loaded machine's share, and the wake-up after each wait for the interpreter lock) and the
time it was blocked (:func:`clocks`: neither on a core nor ready for one; waiting for the
interpreter lock while another thread holds it). Strokes go on, one after another, until the
background work is done; each of ``--repeats`` rounds runs the five cases (idle, and each write
before and now), their order rotated.

Without the window (no drawing): a 3 mm 3D stroke 20 ms after a worker started compacting another
session's journal (:func:`without_window`), before, now and with no worker, in turn,
``--repeats`` times each. Prints the median, 90th percentile and max per case, ``uptime`` first
and last.

Run: QT_QPA_PLATFORM=offscreen python bench/strokes_while_writing.py [--repeats 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from compaction_block import big_segments  # noqa: E402
from paint3d import stroke  # noqa: E402

IDLE_STROKES = 6


def open_window(folder: Path):
    from PySide6.QtWidgets import QApplication

    from neuroview.core import geometry
    from neuroview.io.nifti import save_nifti
    from neuroview.ui.actions_edit import EditActions
    from neuroview.ui.main_window import MainWindow

    EditActions.confirm_close = lambda self: True   # the strokes are thrown away at the end
    rng = np.random.default_rng(1)
    image = np.asfortranarray(rng.normal(100, 5, (256,) * 3).astype(np.int16))
    path = folder / "head.nii.gz"
    save_nifti(image, geometry.affine_from_spacing((1.0, 1.0, 1.0), (-128, -128, -128)), path)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.set_layout("one-row")
    window.open_paths([path])
    wait(app, lambda: window.editor.session is not None and not window.runner.busy)
    session = window.editor.session
    big_segments(session)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5.0, mode="2d")
    return app, window


def clocks() -> np.ndarray:
    """Seconds: wall, this thread on a core, this thread ready but waiting for a core (Linux's
    ``/proc/thread-self/schedstat``). Wall less the other two is the time it was blocked: waiting
    for Python's interpreter lock (or another lock, or the disk), not for a loaded machine."""
    with open("/proc/thread-self/schedstat") as stat:
        on_core, ready = (int(n) / 1e9 for n in stat.read().split()[:2])
    return np.array([time.perf_counter(), on_core, ready])


def timed(function, *args) -> tuple[float, float, float]:
    """(wall, ready, blocked) seconds of ``function(*args)`` (:func:`clocks`)."""
    start = clocks()
    function(*args)
    wall, on_core, ready = clocks() - start
    return wall, ready, wall - on_core - ready


def wait(app, done, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the window did not settle")
        app.processEvents()
        time.sleep(0.005)


def strokes(app, window, running, count: list) -> list[tuple]:
    """Strokes, one after another, while ``running()`` (at least one); (wall, ready, blocked)
    seconds of each (:func:`timed`)."""
    times = []
    while True:
        n = count[0] = count[0] + 1
        start = np.array([-60.0 + (n % 12) * 10.0, -60.0 + (n // 12 % 12) * 10.0, 0.0])
        times.append(timed(stroke, app, window, start))
        if not running():
            return times


def one_case(app, window, case: str, folder: Path, count: list) -> list[tuple]:
    from neuroview.ui.compaction import compact_in_background

    session = window.editor.session
    count[1] += 1   # a record in the journal to compact: a stroke where none was, right of the rest
    k = count[1]
    stroke(app, window, np.array([60.0 + (k // 12 % 5) * 12.0, -60.0 + (k % 12) * 10.0, 0.0]))
    wait(app, lambda: not window.runner.busy)
    if case == "idle":
        left = [IDLE_STROKES]

        def running():
            left[0] -= 1
            return left[0] > 0
    elif case == "compaction":
        compact_in_background(window, session)
        assert session.compaction_running

        def running():
            return session.compaction_running
    else:
        window.edit_actions.save_labels(folder / "labels.nii.gz")

        def running():
            return window.edit_actions.saving.running or window.runner.busy
    times = strokes(app, window, running, count)
    wait(app, lambda: not window.runner.busy)
    return times


def _savez_before(handle, arrays: dict, cancel=None) -> None:
    np.savez_compressed(handle, **arrays)


def _nifti_before(write):
    """``io.nifti._write_nii_in_one_pass`` before session 50: a C-ordered array went to nib.save."""
    def before(img, tmp, gzipped=False):
        return img.dataobj.flags.f_contiguous and write(img, tmp, gzipped)
    return before


def measure(repeats: int, folder: Path) -> dict[str, list[tuple]]:
    from neuroview.core import journal_generations
    from neuroview.io import nifti

    app, window = open_window(folder)
    writers = {"before": (_savez_before, _nifti_before(nifti._write_nii_in_one_pass)),
               "now": (journal_generations.write_npz, nifti._write_nii_in_one_pass)}
    cases = ["idle", "compaction before", "compaction now", "save before", "save now"]
    times: dict[str, list[tuple]] = {case: [] for case in cases}
    count = [0, 0]
    try:
        one_case(app, window, "save", folder, count)   # imports and first writes, not counted
        for n in range(repeats):
            for case in cases[n % 5:] + cases[:n % 5]:
                journal_generations.write_npz, nifti._write_nii_in_one_pass = \
                    writers.get(case.split()[-1], writers["now"])
                times[case] += one_case(app, window, case.split()[0], folder, count)
    finally:
        journal_generations.write_npz, nifti._write_nii_in_one_pass = writers["now"]
        window.edit_actions.close_case()
        window.close()
    return times


def without_window(repeats: int, folder: Path) -> dict[str, list[tuple]]:
    """A 3 mm 3D stroke (``compaction_block._stroke``) in one session 20 ms after a worker started
    compacting another's journal (during the base's write), before and now, and with no worker,
    in turn. (Session 49's figure, ``compaction_block.save_compaction``'s stroke meanwhile, was the
    first stroke after its session's own compaction: its new journal's file made, the folder
    fsync'ed and its fsync thread started, a median 8.5 ms at load 14 without any worker; since
    session 51 neither on the thread that edits: ``bench/first_step.py``.)"""
    from compaction_block import _session, _stroke, _Worker

    from neuroview.core import geometry, journal_generations
    from neuroview.core.volume import Volume

    affine = geometry.affine_from_spacing((1.0, 1.0, 1.0), (-128, -128, -128))
    volume = Volume(np.random.default_rng(1).normal(100, 5, (256,) * 3).astype(np.int16), affine)
    unbounded = {"journal_max_bytes": None, "journal_max_records": None}
    painting, compacted = (_session(volume, folder / name, **unbounded) for name in ("a", "b"))
    _stroke(painting, 1999)   # its journal open
    worker, now = _Worker(compacted), journal_generations.write_npz
    cases = (("before", _savez_before), ("now", now), ("no worker", None))
    times: dict[str, list[tuple]] = {name: [] for name, _ in cases}
    strokes = 0
    try:
        for n in range(repeats):
            for name, write in cases[n % 3:] + cases[:n % 3]:
                strokes += 1
                _stroke(compacted, strokes)   # a record to compact
                checkpoint = compacted.begin_checkpoint()
                if write is not None:
                    journal_generations.write_npz = write
                    worker.start(checkpoint)
                time.sleep(0.02)   # the record's fsync done, the worker well into its write
                times[name].append(timed(_stroke, painting, strokes))   # at a place not painted
                worker.join()
                if write is None:
                    checkpoint.discard()
                compacted.forget_plans()
    finally:
        journal_generations.write_npz = now
        painting.close()
        compacted.close()
    return times


def show(ms: np.ndarray) -> str:
    return (f"median {np.median(ms):6.1f} ms, 90th percentile {np.percentile(ms, 90):6.1f}, "
            f"max {ms.max():6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    os.environ["NEUROVIEW_HOME"] = tempfile.mkdtemp(prefix="neuroview-bench-")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    with tempfile.TemporaryDirectory() as folder:
        times = measure(args.repeats, Path(folder))
        alone = without_window(args.repeats, Path(folder))
    print(f"256^3 label map, 5 mm 2D brush strokes on the axial view, {args.repeats} rounds:")
    for case, values in times.items():
        ms = np.asarray(values) * 1000
        print(f"  {case:17s} {len(ms):4d} strokes: " + show(ms[:, 0]) + "; ready " + show(ms[:, 1])
              + "; blocked " + show(ms[:, 2]))
    print(f"a 3 mm 3D stroke while a worker compacts (no window), {args.repeats} each:")
    for case, values in alone.items():
        ms = np.asarray(values) * 1000
        print(f"  {case:9s} " + show(ms[:, 0]) + "; ready " + show(ms[:, 1]) + "; blocked "
              + show(ms[:, 2]))
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
