"""Journal compaction of a 512x512x300 label map: ``Session.checkpoint()`` timed.

    python bench/checkpoint.py [--repeats 5]

A 512x512x300 int16 volume (0.7x0.7x1.0 mm) and a workspace in a temporary folder under the
current one; each repeat opens a fresh session there, paints 20 spheres of 8 mm radius (20
journal records) and times one ``checkpoint()`` (the compressed ``np.savez`` snapshot, the atomic
switch of ``workspace.json``, the old journal deleted). Prints wall and CPU seconds, median.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from noise_image import noise_volume

    from neuroview.app.session import Session

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    volume = noise_volume(rng, (0.7, 0.7, 1.0), (-179.0, -179.0, -150.0))
    wall, cpu = [], []
    for _ in range(args.repeats):
        workspace = tempfile.mkdtemp(prefix="bench-checkpoint-", dir=".")
        try:
            session = Session(volume, workspace=workspace)
            session.segments.add("lesion")
            for _ in range(20):
                session.apply("paint", at_ras=tuple(rng.uniform(-60, 60, 3)), radius_mm=8.0)
            t0, c0 = time.perf_counter(), time.process_time()
            session.checkpoint()
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            session.close()
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
    print(f"checkpoint: median {statistics.median(wall):.3f} s wall, {statistics.median(cpu):.3f} s CPU "
          f"(each: {', '.join(f'{w:.3f}' for w in wall)} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
