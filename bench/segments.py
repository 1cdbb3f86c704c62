"""Benchmark of adding many segments (issue #16.11): time of the 1st and the 2nd thousand adds.

Each ``segments.add`` is one undo step; with a workspace it is also one journal record (fsync).
When a step costs the same whatever the table's length, the 2nd thousand takes as long as the
1st (ratio ~1.0); before the fix each step copied and journaled the whole table (29 s, then 88 s).

Run: python bench/segments.py [--count 1000] [--workspace DIR]
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--workspace", default=None, help="folder for the journal (default: a temp dir)")
    args = parser.parse_args(argv)
    volume = Volume(np.zeros((128, 128, 64), np.float32), np.eye(4))
    for journaled in (False, True):
        with tempfile.TemporaryDirectory(dir=args.workspace) as folder:
            session = Session(volume, workspace=folder if journaled else None)
            times = []
            for block in range(2):
                start = time.perf_counter()
                for i in range(block * args.count, (block + 1) * args.count):
                    session.segments.add(f"segment {i}")
                times.append(time.perf_counter() - start)
            session.close()
        label = "with workspace (journal + fsync)" if journaled else "no workspace"
        print(f"[{label}] 1st {args.count} adds {times[0]:.2f} s, 2nd {args.count} adds "
              f"{times[1]:.2f} s, ratio {times[1] / times[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
