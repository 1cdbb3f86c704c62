"""Kill neuroview while its crash journal is compacted by a worker thread; check that no edit is lost.

A child process edits a 64^3 image (3D brush strokes, an undo every 7th step) with a journal bound
of 4 records, compacting as the window does past it (``ui.compaction``: the snapshot on the thread
that edits, the base written and the switch made by a worker thread holding the journal's lock),
and prints a checksum of the label map after each step returns. It is sent SIGKILL after a random
delay (seeded per run), mostly while a worker writes a base or switches. The workspace is then
reopened as after a crash: the labels must be those after the last step printed, or after the
step in progress (its record appended before the kill), replayed uninterrupted for comparison.

Run: python bench/kill_compaction.py [--runs 30] [--folder /tmp/kill_compaction]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview import Session  # noqa: E402


def checksum(array: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(array).tobytes()).hexdigest()[:12]


def child(image: str, workspace: str, seed: int, steps: int) -> None:
    session = Session.open(image, workspace=workspace, journal_max_records=4)

    def compact_soon():   # ui.compaction's, its worker a thread
        checkpoint = session.begin_checkpoint()
        if checkpoint is not None:
            threading.Thread(target=lambda: checkpoint.write() and session.end_checkpoint(checkpoint)).start()

    session.compact_soon = compact_soon
    session.segments.add("a")
    rng = np.random.default_rng(seed)
    centre = np.asarray(session.volume.center_ras)
    for n in range(steps):
        at = centre + rng.uniform(-30, 30, 3)
        if n % 7 == 6:
            session.undo()
        else:
            session.apply("paint", at_ras=at, radius_mm=float(rng.uniform(2, 6)), mode="3d", segment=1,
                          path=[at + rng.uniform(-5, 5, 3)])
        print(checksum(session.labels.array), session.journal.generation, flush=True)


def _logged(process: subprocess.Popen, delay: float) -> tuple[list[list[str]], bool]:
    """The child's lines until ``delay`` seconds passed (then SIGKILL) or it ended, and whether
    the kill found it running."""
    lines, start = [], time.monotonic()
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    while time.monotonic() - start < delay and process.poll() is None:
        if selector.select(0.05):
            lines.append(process.stdout.readline().split())
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    lines += [line.split() for line in process.stdout.read().splitlines()]
    return [line for line in lines if len(line) == 2], running


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--folder", default="/tmp/kill_compaction")
    args = parser.parse_args()
    folder = Path(args.folder)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    import nibabel as nib

    image = folder / "image.nii.gz"
    data = np.random.default_rng(0).normal(100, 20, (64, 64, 64)).astype(np.float32)
    nib.save(nib.Nifti1Image(data, np.diag([3.0, 3.0, 3.0, 1.0])), image)
    me = [sys.executable, __file__, "--child", str(image)]
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    killed = defects = generation = 0
    steps = []
    for run in range(args.runs):
        workspace = folder / f"run{run}"
        process = subprocess.Popen([*me, str(workspace), str(run), "3000"], stdout=subprocess.PIPE, text=True)
        lines, running = _logged(process, random.Random(run).uniform(3.0, 9.0))
        killed += running
        logged = [line[0] for line in lines]
        generation = max([generation] + [int(line[1]) for line in lines])
        steps.append(len(lines))
        again = Session.open(image, workspace=workspace)
        got = checksum(again.labels.array)
        again.close()
        replay = subprocess.run([*me, str(folder / "replay"), str(run), str(len(logged) + 1)],
                                capture_output=True, text=True).stdout.split()[0::2]
        shutil.rmtree(folder / "replay", ignore_errors=True)
        allowed = (logged[-1:] or [checksum(np.zeros((64, 64, 64), np.uint8))]) + replay[len(logged):]
        if got not in allowed:
            defects += 1
            print(f"defect: run {run}: restored {got}, expected one of {allowed} (kept in {workspace})")
        else:
            shutil.rmtree(workspace)
    print(f"{args.runs} runs, {killed} killed mid-edit, steps done at the kill {sorted(steps)}, "
          f"up to generation {generation}; {defects} defects")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
