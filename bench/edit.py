"""Benchmark of mask editing on a 512x512x300 volume (0.7 x 0.7 x 1.0 mm).

Measures, with medians over repeats:
- per-event latency of a paint drag: the tool alone, and the tool plus the overlay update of the
  changed region (an RGBA slice buffer coloured through a lookup table, the work a view does),
  against the naive reference of recolouring the whole slice on every event;
- commit time of a stroke (one undo step; with a workspace, the journal append + fsync);
- undo time of one stroke;
- history memory after 1,000 strokes;
- the per-edit update of the segment voxel counts (from the step's diff) against a whole-volume
  ``np.bincount`` of the label map (what the segment panel did after every edit before).

Run: python bench/edit.py [--strokes 1000] [--events 30] [--workspace DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.session import Session  # noqa: E402
from neuroview.core import geometry  # noqa: E402
from neuroview.core.labels import DEFAULT_COLORS  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402


def make_volume() -> Volume:
    rng = np.random.default_rng(0)
    image = rng.integers(-100, 200, size=(512, 512, 300), dtype=np.int16)
    return Volume(image, geometry.affine_from_spacing((0.7, 0.7, 1.0), (-180, -180, -150)))


def overlay_lut() -> np.ndarray:
    lut = np.zeros((256, 4), np.uint8)
    for value in range(1, 256):
        lut[value, :3] = DEFAULT_COLORS[(value - 1) % len(DEFAULT_COLORS)]
        lut[value, 3] = 128
    return lut


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:7.3f} ms (p90 {np.percentile(seconds, 90) * 1000:.3f})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=1000)
    parser.add_argument("--events", type=int, default=10, help="drag events per stroke")
    parser.add_argument("--radius", type=float, default=5.0)
    parser.add_argument("--workspace", default=None, help="journal folder (default: a temp folder)")
    args = parser.parse_args(argv)

    volume = make_volume()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = args.workspace or str(Path(tmp) / "ws")
        t0 = time.perf_counter()
        session = Session(volume, workspace=workspace)
        open_s = time.perf_counter() - t0
        segment = session.segments.add("lesion")
        session.counts.counts()  # the segment panel asks at once: counts follow every commit
        lut = overlay_lut()
        rgba = np.zeros((512, 512, 4), np.uint8)
        rng = np.random.default_rng(1)
        k = 150
        tool_t, region_t, naive_t, commit_t = [], [], [], []
        results = {}
        for mode in ("2d", "3d"):
            tool_t.clear(), region_t.clear(), naive_t.clear(), commit_t.clear()
            strokes = args.strokes // 2
            for _ in range(strokes):
                start = np.array([rng.uniform(-150, 150), rng.uniform(-150, 150), -150 + k])
                points = start + np.cumsum(rng.uniform(-1.5, 1.5, (args.events, 3)) * [1, 1, 0], axis=0)
                session.press("paint", start, segment=segment, radius_mm=args.radius, mode=mode,
                              view="axial")
                for p in points:
                    t = time.perf_counter()
                    box = session.drag(p)
                    t1 = time.perf_counter()
                    if box is not None:
                        (i0, j0, _), (i1, j1, _) = box
                        rgba[i0:i1, j0:j1] = lut[session.labels.array[i0:i1, j0:j1, k]]
                    t2 = time.perf_counter()
                    rgba[...] = lut[session.labels.array[:, :, k]]  # naive: the whole slice
                    t3 = time.perf_counter()
                    tool_t.append(t1 - t)
                    region_t.append(t2 - t)
                    naive_t.append((t1 - t) + (t3 - t2))
                t = time.perf_counter()
                session.release()
                commit_t.append(time.perf_counter() - t)
            results[mode] = (list(tool_t), list(region_t), list(naive_t), list(commit_t))

        count_t = []
        for step in session.history.undo_steps[-200:]:
            t = time.perf_counter()
            session.counts.apply(step.diff, forward=False)
            session.counts.apply(step.diff, forward=True)
            count_t.append((time.perf_counter() - t) / 2)
        bincount_t = []
        for _ in range(5):
            t = time.perf_counter()
            full = np.bincount(session.labels.array.ravel())
            bincount_t.append(time.perf_counter() - t)
        counts_exact = session.counts.array().tolist() == full.tolist()
        history_mb = session.history.nbytes / 2**20
        n_steps = len(session.history)
        undo_t = []
        for _ in range(min(200, n_steps - 1)):
            t = time.perf_counter()
            session.undo()
            undo_t.append(time.perf_counter() - t)
        redo_t = []
        for _ in range(len(undo_t)):
            t = time.perf_counter()
            session.redo()
            redo_t.append(time.perf_counter() - t)
        journal_mb = session.journal.journal_path.stat().st_size / 2**20
        session.close()
        t0 = time.perf_counter()
        restored = Session(volume, workspace=workspace)
        restore_s = time.perf_counter() - t0
        exact = np.array_equal(restored.labels.array, session.labels.array)
        restored.close()

    print(f"volume 512x512x300, brush radius {args.radius} mm, {args.strokes} strokes x "
          f"{args.events} drag events, journal on")
    for mode, (tool, region, naive, commit) in results.items():
        ratio = statistics.median(naive) / statistics.median(region)
        print(f"[{mode}] per event, tool only          {ms(tool)}")
        print(f"[{mode}] per event, tool + region view {ms(region)}")
        print(f"[{mode}] per event, tool + whole slice {ms(naive)}  (naive reference)")
        print(f"[{mode}] region update is {ratio:.1f}x faster than whole-slice refresh")
        print(f"[{mode}] commit one stroke (history + journal fsync) {ms(commit)}")
    print(f"undo one stroke {ms(undo_t)}; redo {ms(redo_t)}")
    ratio = statistics.median(bincount_t) / statistics.median(count_t)
    print(f"segment counts: per-edit update {ms(count_t)}; whole-volume bincount {ms(bincount_t)}; "
          f"update is {ratio:.0f}x faster, exact: {counts_exact}")
    print(f"history after {args.strokes} strokes: {n_steps} steps, {history_mb:.2f} MiB "
          f"(label map itself: {volume.array.size / 2**20:.0f} MiB)")
    print(f"journal on disk: {journal_mb:.2f} MiB; open empty workspace {open_s * 1000:.0f} ms; "
          f"restore {args.strokes} strokes {restore_s * 1000:.0f} ms, exact: {exact}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
