"""Benchmark of adding many segments (issue #16.11): time of the 1st and the 2nd thousand adds.

Each ``segments.add`` is one undo step; with a workspace it is also one journal record (fsync).
When a step costs the same whatever the table's length, every thousand takes as long as the
1st (ratio ~1.0). Before the fixes each step copied and journaled the whole table (29 s, then
88 s), and then the name check and the next free value still scanned the table (2nd thousand
2.4x the 1st). The garbage collector runs between blocks (a collection inside a block costs
with the whole process's heap, not the table's length).

Run: python bench/segments.py [--count 1000] [--blocks 5] [--workspace DIR]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.session import Session  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--blocks", type=int, default=5, help="blocks of --count adds")
    parser.add_argument("--workspace", default=None, help="folder for the journal (default: a temp dir)")
    args = parser.parse_args(argv)
    volume = Volume(np.zeros((128, 128, 64), np.float32), np.eye(4))
    for journaled in (False, True):
        with tempfile.TemporaryDirectory(dir=args.workspace) as folder:
            session = Session(volume, workspace=folder if journaled else None)
            times = []
            for block in range(args.blocks):
                gc.collect()
                start = time.perf_counter()
                for i in range(block * args.count, (block + 1) * args.count):
                    session.segments.add(f"segment {i}")
                times.append(time.perf_counter() - start)
            session.close()
        label = "with workspace (journal + fsync)" if journaled else "no workspace"
        blocks = ", ".join(f"{t:.3f}" for t in times)
        print(f"[{label}] blocks of {args.count} adds: {blocks} s; 2nd/1st {times[1] / times[0]:.2f}, "
              f"last/1st {times[-1] / times[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
