"""Benchmark: the first brush stroke after a compaction of the crash journal, against the others.

A compaction (``Session.checkpoint``: the label map stored as the base of a new generation) closes
the journal's file; the next step creates the new generation's ``journal-G.bin``. Before session
51 that step also fsync'ed the workspace folder and started a new fsync thread
(``core.journal_sync``) on the thread that edits; now the journal keeps one fsync thread for its
life, hands it the new file, and that thread fsyncs the folder after the file's first fsync.
Here, on a 256^3 label map with two big segments (``compaction_block.big_segments``), in each of
``--repeats`` rounds, before and now in turn (their order alternating): a stroke, a compaction,
the wait for its fsyncs, then the first 3 mm 3D stroke of the new generation, then (its record
synced) a second one: the median, 90th percentile and max of each, of the journal's opening of
the new file inside the first (``Journal._open_append``), and the ratio of the medians.

"Before" is this code with session 50's two steps put back (:func:`before`): the switch ends the
fsync thread (the next file starts one) and the folder's fsync runs where the file is opened.

``--busy-disk``: the same again while a process writes 1 MiB blocks to a file on the same disk and
calls ``sync`` after every 16 MiB. Workspaces live under ``--folder`` (a real disk, not /dev/shm).
Prints ``uptime`` first and last.

Run: python bench/first_step.py [--repeats 30] [--folder /tmp/journal] [--busy-disk]
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from compaction_block import _session, _stroke  # noqa: E402
from journal_step_time import disk_arguments, disk_runs  # noqa: E402

from neuroview.core import geometry  # noqa: E402
from neuroview.core.atomic import fsync_dir  # noqa: E402
from neuroview.core.journal import Journal  # noqa: E402
from neuroview.core.journal_sync import Syncer  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402

OPENS: list[float] = []


def _timed_open(open_append):
    def timed(self):
        start = time.perf_counter()
        try:
            return open_append(self)
        finally:
            OPENS.append(time.perf_counter() - start)
    return timed


@contextlib.contextmanager
def before():
    """Session 50's journal: the switch closed the fsync thread with the file, and the file's
    creation fsync'ed the folder on the caller's thread (a new thread per file follows)."""
    close_file, follow = Journal._close_file, Syncer.follow

    def close_file_before(self):
        close_file(self)
        if self._syncer is not None:
            with contextlib.suppress(OSError):
                self._syncer.close()
            self._syncer = None

    def follow_before(self, fd, created_in=None):
        if created_in is not None:
            fsync_dir(created_in)
        follow(self, fd, None)

    Journal._close_file, Syncer.follow = close_file_before, follow_before
    try:
        yield
    finally:
        Journal._close_file, Syncer.follow = close_file, follow


def one_round(session, n: int, old: bool) -> tuple[float, float, float]:
    """(first stroke, its file opening, second stroke) seconds after a compaction; ``n``: the
    round's number, each one's strokes where none painted before."""
    n = 3 * n
    with before() if old else contextlib.nullcontext():
        _stroke(session, n)
        session.checkpoint()
        session.journal.wait_synced()
        OPENS.clear()
        start = time.perf_counter()
        _stroke(session, n + 1)
        first = time.perf_counter() - start
        opened = sum(OPENS)
        session.journal.wait_synced()
        start = time.perf_counter()
        _stroke(session, n + 2)
        second = time.perf_counter() - start
        session.journal.wait_synced()
    return first, opened, second


def show(seconds) -> str:
    ms = np.asarray(seconds) * 1000
    return (f"median {np.median(ms):5.2f} ms, 90th percentile {np.percentile(ms, 90):5.2f}, "
            f"max {ms.max():5.2f}")


def main() -> None:
    args = disk_arguments(__doc__.splitlines()[0], 30)
    Journal._open_append = _timed_open(Journal._open_append)
    affine = geometry.affine_from_spacing((1.0, 1.0, 1.0), (-128, -128, -128))
    volume = Volume(np.random.default_rng(1).normal(100, 5, (256,) * 3).astype(np.int16), affine)
    unbounded = {"journal_max_bytes": None, "journal_max_records": None}
    for busy in disk_runs(args):
        rows: dict[str, list] = {"before": [], "now": []}
        with tempfile.TemporaryDirectory(dir=args.folder) as scratch:
            session = _session(volume, Path(scratch) / "ws", **unbounded)
            one_round(session, 0, False)   # imports and first writes, not counted
            try:
                for n in range(1, args.repeats + 1):
                    for k, old in enumerate((n % 2 == 0, n % 2 == 1)):
                        rows["before" if old else "now"].append(one_round(session, 2 * n + k, old))
            finally:
                session.close()
        print(f"256^3 label map, {args.repeats} compactions each"
              + (", disk kept busy (1 MiB writes, os.sync every 16 MiB):" if busy else ":"))
        for name, values in rows.items():
            values = np.asarray(values)
            print(f"  {name:6s} first stroke {show(values[:, 0])}; of it opening the file "
                  f"{show(values[:, 1])}; second stroke {show(values[:, 2])}")
            print(f"         first / second stroke (medians): "
                  f"{np.median(values[:, 0]) / np.median(values[:, 2]):.2f}")
        medians = {name: np.median(np.asarray(v)[:, 0]) for name, v in rows.items()}
        print(f"  first stroke, before / now (medians): {medians['before'] / medians['now']:.2f}")


if __name__ == "__main__":
    main()
