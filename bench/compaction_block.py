"""Benchmark: how long a compaction of the crash journal blocks the thread that edits (the GUI's).

A compaction stores the whole label map as the workspace's base and starts an empty journal. It
runs after each save and by itself when a step takes the journal past 64 MiB or 20,000 records.
Before session 49 the window took the snapshot on its GUI thread, a worker wrote the base, and
the switch (the wait for the old journal's fsync, ``workspace.json`` and the files kept beside the
base written and fsync'ed) ran on the GUI thread; the compaction at the bound ran whole in the
step (``Session.checkpoint``). Now (``ui.compaction``) the worker makes the switch too, holding
the journal's lock, and the bound's compaction runs as a save's. Here, on a 256^3 label map (two
big segments, as after a model's result), right after a 3 mm brush stroke, alternating before and
now in each of ``--repeats``, the median, 90th percentile and max of:

- save: the GUI thread's part (before: ``begin_checkpoint`` + ``end_checkpoint``; now:
  ``begin_checkpoint`` + ``forget_plans``), the worker's write apart, and now the time the worker
  holds the journal's lock for the switch (the longest a step made meanwhile waits), and a stroke
  made (in another session) while the worker writes: it shares Python's GIL with the worker;
- bound: the step that took the journal past its bound (``journal_max_records`` 3) as the window
  ran it before (``checkpoint`` in the step) and now (``Session.compact_soon`` as
  ``ui.compaction`` sets it: the snapshot at the event loop's next turn, timed apart, and a
  worker, a thread here), beside a plain stroke; and how long the old journal's fsync was waited
  for inside (``Syncer.release``; ``Syncer.close`` before session 51).

``--busy-disk``: the same again while a process writes 1 MiB blocks to a file on the same disk and
calls ``sync`` after every 16 MiB (``journal_step_time.disk_runs``). Workspaces live under
``--folder`` (a real disk, not /dev/shm). Prints ``uptime`` first and last.

Run: python bench/compaction_block.py [--repeats 15] [--folder /tmp/journal] [--busy-disk]
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from journal_step_time import disk_arguments, disk_runs  # noqa: E402

from neuroview.app.session import Session  # noqa: E402
from neuroview.core import geometry, journal_sync  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402

SYNC_WAITS: list[float] = []


def _timed_close(close):
    def timed(self):
        start = time.perf_counter()
        close(self)
        SYNC_WAITS.append(time.perf_counter() - start)
    return timed


def big_segments(session: Session) -> None:
    """Two big segments in ``session``'s 256^3 label map, as after a model's result: a ball of
    radius 90 voxels (``brain``) and one of 20 (``lesion``, also ``session.lesion``)."""
    a, b = session.segments.add("lesion"), session.segments.add("brain")
    labels = session.labels.array
    i, j, k = np.ogrid[:256, :256, :256]
    labels[(i - 128) ** 2 + (j - 128) ** 2 + (k - 128) ** 2 < 90 ** 2] = b.value
    labels[(i - 100) ** 2 + (j - 140) ** 2 + (k - 120) ** 2 < 20 ** 2] = a.value
    session.lesion = a


def _session(volume: Volume, folder: Path, **bounds) -> Session:
    session = Session(volume, folder, **bounds)
    big_segments(session)
    return session


def _stroke(session: Session, n: int) -> None:
    """A 3 mm 3D brush stroke, at a place no earlier ``n`` painted."""
    centre = np.array([-100.0 + (n % 40) * 5, -100.0 + (n // 40) * 8, 5.0])
    session.apply("paint", at_ras=centre, path=[centre + [0, 2, 0]], radius_mm=3.0, mode="3d",
                  segment=session.lesion)


class _Worker:
    """``ui.compaction``'s work on a thread: write the base, then the switch (timed, lock held)."""

    def __init__(self, session: Session):
        self.session, self.thread, self.held = session, None, []

    def start(self, checkpoint) -> None:
        def work():
            if checkpoint.write():
                start = time.perf_counter()
                if self.session.end_checkpoint(checkpoint):
                    self.held.append(time.perf_counter() - start)
        self.thread = threading.Thread(target=work)
        self.thread.start()

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None


def save_compaction(before: Session, now: Session, n: int) -> tuple:
    """(before: GUI, of it the fsync wait; now: GUI, the switch's lock hold, the worker's write,
    a stroke meanwhile)."""
    _stroke(before, n)   # its record's fsync is pending
    SYNC_WAITS.clear()
    start = time.perf_counter()
    checkpoint = before.begin_checkpoint()
    gui = time.perf_counter() - start
    checkpoint.write()
    start = time.perf_counter()
    assert before.end_checkpoint(checkpoint)
    before_gui, before_sync = gui + time.perf_counter() - start, sum(SYNC_WAITS)
    _stroke(now, n)
    worker = _Worker(now)
    start = time.perf_counter()
    checkpoint = now.begin_checkpoint()
    gui = time.perf_counter() - start
    written = time.perf_counter()
    worker.start(checkpoint)
    start = time.perf_counter()
    _stroke(before, n + 500)   # the user paints on while the worker writes
    meanwhile = time.perf_counter() - start
    worker.join()
    written = time.perf_counter() - written
    start = time.perf_counter()
    now.forget_plans()   # the GUI thread's part once the worker is done
    gui += time.perf_counter() - start
    assert worker.held, "not adopted"
    return before_gui, before_sync, gui, worker.held[0], written - worker.held[0], meanwhile


def bound_compaction(before: Session, now: Session, worker: _Worker, strokes: list,
                     soon: list) -> tuple:
    """(before: the step that passed the bound, of it the fsync wait, a plain step; now: the
    step, a plain step, the snapshot at the next turn)."""
    rows = []
    for session in (before, now):
        times, generation, snapshot = [], session.journal.generation, 0.0
        while session.journal.generation == generation:   # until a stroke passes the bound
            SYNC_WAITS.clear()
            start = time.perf_counter()
            _stroke(session, strokes[0])
            times.append(time.perf_counter() - start)
            strokes[0] += 1
            if soon:   # the event loop's next turn
                snapshot = soon.pop()()
            worker.join()
        rows += [times[-1], sum(SYNC_WAITS), float(np.median(times[:-1]))]
    return tuple(rows[:3] + [rows[3], rows[5], snapshot])


def measure(volume: Volume, folder: Path, repeats: int) -> tuple[np.ndarray, np.ndarray]:
    unbounded = {"journal_max_bytes": None, "journal_max_records": None}
    bounded = {"journal_max_bytes": None, "journal_max_records": 3}
    sessions = [_session(volume, folder / name, **bounds) for name, bounds in
                (("save_before", unbounded), ("save_now", unbounded),
                 ("bound_before", bounded), ("bound_now", bounded))]
    worker = _Worker(sessions[3])

    def snapshot_and_start() -> float:
        """ui.compaction's, its worker a thread; the snapshot's seconds (a thread's start is left
        out: ``threading.Thread.start`` waits for the thread to run, the window's pool does not)."""
        start = time.perf_counter()
        checkpoint = sessions[3].begin_checkpoint()
        snapshot = time.perf_counter() - start
        if checkpoint is not None:
            worker.start(checkpoint)
        return snapshot

    soon: list = []
    sessions[3].compact_soon = lambda: soon.append(snapshot_and_start)
    save, bound, strokes = [], [], [0]
    try:
        for n in range(repeats):
            save.append(save_compaction(sessions[0], sessions[1], n))
            bound.append(bound_compaction(sessions[2], sessions[3], worker, strokes, soon))
    finally:
        for session in sessions:
            session.close()
    return np.asarray(save), np.asarray(bound)


def show(values: np.ndarray) -> str:
    ms = values * 1000
    return (f"median {np.median(ms):6.1f} ms, 90th percentile {np.percentile(ms, 90):6.1f}, "
            f"max {ms.max():6.1f}")


def main() -> None:
    args = disk_arguments(__doc__.splitlines()[0], 15)
    journal_sync.Syncer.close = _timed_close(journal_sync.Syncer.close)
    journal_sync.Syncer.release = _timed_close(journal_sync.Syncer.release)   # a switch's
    affine = geometry.affine_from_spacing((1.0, 1.0, 1.0), (-128, -128, -128))
    volume = Volume(np.random.default_rng(1).normal(100, 5, (256,) * 3).astype(np.int16), affine)
    for busy in disk_runs(args):
        with tempfile.TemporaryDirectory(dir=args.folder) as scratch:
            save, bound = measure(volume, Path(scratch), args.repeats)
        print(f"256^3 label map, {args.repeats} repeats"
              + (", disk kept busy (1 MiB writes, os.sync every 16 MiB):" if busy else ":"))
        print("  save's compaction, GUI thread, before: " + show(save[:, 0])
              + f" (over 16 ms: {int((save[:, 0] > 0.016).sum())}); of it the fsync wait "
              + show(save[:, 1]))
        print("    now: " + show(save[:, 2]) + f" (over 16 ms: {int((save[:, 2] > 0.016).sum())}); "
              "the worker's switch holds the lock " + show(save[:, 3]) + "; its write "
              + show(save[:, 4]) + "; a stroke meanwhile " + show(save[:, 5]))
        print("  the step that passed the bound, before: " + show(bound[:, 0])
              + "; of it the fsync wait " + show(bound[:, 1]))
        print("    now: " + show(bound[:, 3]) + f" (over 16 ms: {int((bound[:, 3] > 0.016).sum())}); "
              "the snapshot at the next turn " + show(bound[:, 5])
              + f" (over 16 ms: {int((bound[:, 5] > 0.016).sum())}); a plain stroke "
              + show(np.concatenate([bound[:, 2], bound[:, 4]])))


if __name__ == "__main__":
    main()
