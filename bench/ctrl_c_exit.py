"""Benchmark: how long ``neuroview segment`` takes to end after Ctrl+C, against another checkout.

``neuroview segment`` runs on the bundled MNI head with the default model; SIGINT is sent after
each of ``--delays`` seconds (so it lands in the brain extraction, the network's run or the
writing), and the time from SIGINT to the process's end is measured from outside, with its exit
status (130 expected; a negative one is a crash at exit). Each delay runs this checkout and the
reference checkout (``--reference``, e.g. main's worktree) one after the other, so both meet the
same load. Medians, the ratio, and the largest.

Run: nice -n 10 python bench/ctrl_c_exit.py --reference /work/main [--delays 4,7,10,12,16]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAD = ROOT / "resources" / "demo" / "mni152_t1_1mm.nii.gz"


def stop_after(tree: Path, delay: float) -> tuple[float, int]:
    """(seconds from SIGINT to the end, exit status) of one ``segment`` run of ``tree``'s code."""
    with tempfile.TemporaryDirectory(prefix="ctrl-c-") as folder:
        process = subprocess.Popen([sys.executable, "-m", "neuroview", "segment", str(HEAD), "-o",
                                    str(Path(folder) / "labels.nii.gz")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=dict(os.environ, PYTHONPATH=str(tree)), cwd=folder)
        time.sleep(delay)
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait()
        return time.monotonic() - sent, process.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, required=True, help="another checkout of neuroview")
    parser.add_argument("--delays", default="4,7,10,12,16", help="seconds before SIGINT, one run each")
    args = parser.parse_args()
    runs: dict[str, list] = {"this": [], "reference": []}
    for delay in (float(d) for d in args.delays.split(",")):
        for name, tree in (("this", ROOT), ("reference", args.reference)):
            seconds, status = stop_after(tree, delay)
            runs[name].append((seconds, status))
            print(f"{name:9s} SIGINT at {delay:4.1f} s: ended {seconds:5.2f} s later, status {status}",
                  flush=True)
    medians = {name: statistics.median(s for s, _ in found) for name, found in runs.items()}
    for name, found in runs.items():
        crashed = sum(status < 0 for _, status in found)
        print(f"{name:9s} median {medians[name]:.2f} s, largest {max(s for s, _ in found):.2f} s, "
              f"{crashed} of {len(found)} crashed")
    print(f"ratio this / reference: {medians['this'] / medians['reference']:.2f}x")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
