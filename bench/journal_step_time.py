"""Benchmark: the GUI thread's time per editing step, and how much of it is the crash journal's fsync.

Each committed step (a brush stroke's release, a fill, an undo) is appended to the workspace's
journal. Before session 48 the thread that edits (the window's GUI thread) also fsync'ed it
(``_append_before`` here); now a thread of the journal's own does (``core.journal_sync``). Here,
in one process, on the demo case (MNI152 T1 with lesions, 197x233x189) and on a 256^3 volume, the
median (90th percentile, max) of ``--repeats`` of each step, before and now alternating:

- before: the step as a whole (``Session.apply`` for a 3 mm 3D brush stroke along a short path and
  for a 2D fill of a slice, ``Session.undo``), and of that the journal's part: encoding the record,
  ``write`` + ``flush``, ``fsync``; the rest (painting, counting) is the step less the journal; a
  plain write of the same bytes to a file in the same folder, with and without ``fsync`` (ratio:
  the journal's write + fsync against the plain write + fsync);
- now: the step as a whole, and how long after it returned its record was fsync'ed (the work a
  power cut could lose; a kill of neuroview loses none of it).

``--busy-disk``: the same again while a background process writes 1 MiB blocks to a file on the
same disk and calls ``sync`` after every 16 MiB (a disk other programs keep busy: a slow disk).
The workspace and the files live under ``--folder`` (the disk the workspaces are on; not
/dev/shm, whose fsync does nothing). Prints ``uptime`` first and last.

Run: python bench/journal_step_time.py [--repeats 21] [--folder /tmp/journal] [--busy-disk]
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.session import Session  # noqa: E402
from neuroview.core import geometry  # noqa: E402
from neuroview.core.journal import Journal  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402

TIMES: dict[str, list] = {"write": [], "fsync": [], "data": []}


def _append_before(self, data: bytes) -> None:
    """``Journal._append`` before session 48: write, flush and fsync on the thread that edits,
    its write and its fsync timed apart."""
    handle = self._open_append()
    start = time.perf_counter()
    handle.write(data)
    handle.flush()
    wrote = time.perf_counter()
    os.fsync(handle.fileno())
    TIMES["write"].append(wrote - start)
    TIMES["fsync"].append(time.perf_counter() - wrote)
    TIMES["data"].append(data)
    self.size += len(data)
    self.record_count += 1


def _plain(folder: Path, data: bytes, sync: bool) -> float:
    """Seconds to append ``data`` to an open file (and fsync it)."""
    with open(folder / "plain.bin", "ab") as handle:
        start = time.perf_counter()
        handle.write(data)
        handle.flush()
        if sync:
            os.fsync(handle.fileno())
        return time.perf_counter() - start


def _steps(volume: Volume, rng):
    """(name, function of the session) for one stroke, one fill, one undo near the centre."""
    centre = np.asarray(volume.center_ras) + rng.uniform(-30, 30, 3)
    path = [centre + k * rng.uniform(-2, 2, 3) for k in range(1, 6)]
    value = float(volume.array[tuple(int(n) // 2 for n in volume.shape[:3])])
    return (("brush stroke", lambda s: s.apply("paint", at_ras=centre, path=path, radius_mm=3.0,
                                               mode="3d", segment=s.lesion)),
            ("fill (2D)", lambda s: s.apply("fill", at_ras=centre, mode="2d", view="axial",
                                            intensity_low=value - 50, intensity_high=value + 50,
                                            segment=s.lesion)),
            ("undo", lambda s: s.undo()))


class _Timed:
    """``Session._journal`` with its time kept."""

    def __init__(self, session):
        self.real, self.times = session._journal, []

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        self.real(*args, **kwargs)
        self.times.append(time.perf_counter() - start)


def _session(volume: Volume, folder: Path) -> Session:
    session = Session(volume, folder, journal_max_bytes=None, journal_max_records=None)
    session.lesion = session.segments.add("lesion")
    return session


def measure(volume: Volume, folder: Path, repeats: int) -> dict:
    """Per step, seconds: (before: whole, encode, write, fsync, plain write, plain write + fsync,
    record bytes; now: whole, until fsync'ed after the step returned), each repeat."""
    rows: dict[str, list] = {}
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        before, now = _session(volume, Path(scratch) / "before"), _session(volume, Path(scratch) / "now")
        real_append = Journal._append
        try:
            for n in range(repeats):
                for name, step in _steps(volume, np.random.default_rng(n)):
                    for times in TIMES.values():
                        times.clear()
                    Journal._append = _append_before
                    before._journal = timed = _Timed(before)
                    start = time.perf_counter()
                    step(before)
                    whole = time.perf_counter() - start
                    Journal._append = real_append
                    data = b"".join(TIMES["data"])
                    write, fsync = sum(TIMES["write"]), sum(TIMES["fsync"])
                    start = time.perf_counter()
                    step(now)
                    returned = time.perf_counter()
                    now.journal.wait_synced()
                    rows.setdefault(name, []).append(
                        (whole, sum(timed.times) - write - fsync, write, fsync,
                         _plain(Path(scratch), data, False), _plain(Path(scratch), data, True), len(data),
                         returned - start, time.perf_counter() - returned))
        finally:
            Journal._append = real_append
            before.close()
            now.close()
    return rows


def report(title: str, rows: dict) -> None:
    print(title)
    for name, values in rows.items():
        values = np.asarray(values)
        whole, encode, write, fsync, plain, plain_sync, size, now, durable = np.median(values, axis=0) * 1000
        print(f"  {name:12s} before: step {whole:5.1f} ms: rest {whole - encode - write - fsync:5.1f}, "
              f"encode {encode:4.1f}, write {write:4.2f}, fsync {fsync:5.1f} ms; record "
              f"{size / 1024 / 1000:5.1f} KiB; plain write {plain:4.2f}, + fsync {plain_sync:5.1f} ms "
              f"(journal / plain: {(write + fsync) / plain_sync:4.2f}x)")
        high = np.percentile(values, 90, axis=0) * 1000
        most = values.max(axis=0) * 1000
        print(f"  {'':12s}   90th percentile / max: step {high[0]:5.1f} / {most[0]:5.1f}, fsync "
              f"{high[3]:5.1f} / {most[3]:5.1f}, plain + fsync {high[5]:5.1f} / {most[5]:5.1f} ms; "
              f"fsync > 16 ms: {int((values[:, 3] > 0.016).sum())} of {len(values)}")
        print(f"  {'':12s} now: step {now:5.1f} ms (90th percentile {high[7]:5.1f}, max {most[7]:5.1f}; "
              f"{whole / now:4.1f}x less); on the disk {durable:5.1f} ms after it returned "
              f"(90th percentile {high[8]:5.1f}, max {most[8]:5.1f})")


def busy_disk(folder: Path) -> subprocess.Popen:
    """A process that keeps the disk busy: 1 MiB buffered writes, and ``os.sync`` after every
    16 MiB (the whole machine's dirty pages written out, as a big copy or a backup does)."""
    code = ("import os,sys\nb=os.urandom(1<<20)\nf=open(sys.argv[1],'wb')\nn=0\n"
            "while True:\n f.write(b); n+=1\n if n % 16 == 0: f.flush(); os.sync()\n"
            " if f.tell() > 256<<20: f.seek(0)\n")
    return subprocess.Popen([sys.executable, "-c", code, str(folder / "busy.bin")])


def disk_arguments(description: str, repeats: int) -> argparse.Namespace:
    """``--repeats``, ``--folder`` (made, as a Path) and ``--busy-disk``, as the journal's
    benchmarks take them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/journal"))
    parser.add_argument("--busy-disk", action="store_true")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    return args


def disk_runs(args: argparse.Namespace):
    """Yields False for the run on a quiet disk, then with ``--busy-disk`` True while
    :func:`busy_disk` keeps it busy; prints ``uptime`` first and last."""
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for busy in (False, True) if args.busy_disk else (False,):
        load = busy_disk(args.folder) if busy else None
        try:
            yield busy
        finally:
            if load is not None:
                load.kill()
                load.wait()
                (args.folder / "busy.bin").unlink(missing_ok=True)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


def main() -> None:
    args = disk_arguments(__doc__.splitlines()[0], 21)
    from neuroview.cli.demo import lesion_case
    from neuroview.io import load

    affine = geometry.affine_from_spacing((1.0, 1.0, 1.0), (-128, -128, -128))
    rng = np.random.default_rng(1)
    big = Volume(rng.normal(100, 5, (256,) * 3).astype(np.int16), affine)
    cases = (("demo case 197x233x189", load(lesion_case())), ("256^3", big))
    for busy in disk_runs(args):
        for name, volume in cases:
            rows = measure(volume, args.folder, args.repeats)
            busy_line = ", disk kept busy (1 MiB writes, os.sync every 16 MiB)" if busy else ""
            report(f"{name}, median of {args.repeats}{busy_line}:", rows)


if __name__ == "__main__":
    main()
