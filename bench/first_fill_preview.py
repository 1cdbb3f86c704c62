"""The first Fill between slices preview of a process against the next one, on the demo case.

    python bench/first_fill_preview.py [--repeats 4]

Each repeat starts a fresh process (a scratch NEUROVIEW_HOME), loads the demo image, puts a disc
on axial slices 60 and 70 and times two previews in a row (the first pays for importing
scipy.ndimage), then another fresh process that imports scipy.ndimage first and times that import.
Prints each run and the medians in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(import_first: bool) -> dict:
    """In this (fresh) process: the import's and the two previews' seconds."""
    import numpy as np

    from neuroview.app.case import workspace_for
    from neuroview.app.session import Session
    from neuroview.io.nifti import load_nifti
    from neuroview.paths import demo_image

    volume = load_nifti(demo_image())
    session = Session(volume, workspace_for(volume))
    session.segments.add("lesion")
    array = session.labels.array
    i, j = np.ogrid[:array.shape[0], :array.shape[1]]
    disc = (i - array.shape[0] // 2) ** 2 + (j - array.shape[1] // 2) ** 2 < 15 ** 2
    for k in (60, 70):
        array[:, :, k][disc] = 1
    started = time.perf_counter()
    if import_first:
        import scipy.ndimage  # noqa: F401
    imported = time.perf_counter() - started
    times = []
    for _ in range(2):
        started = time.perf_counter()
        session.preview("interpolate", segment="lesion", view="k")
        times.append(time.perf_counter() - started)
        session.discard_preview()
    session.journal.close()
    return {"import": imported, "first": times[0], "second": times[1]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--one", choices=("cold", "import"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(one_run(args.one == "import")))
        return 0
    runs = {"cold": [], "import": []}
    for _ in range(args.repeats):
        for kind in runs:   # alternated: the machine's load varies
            with tempfile.TemporaryDirectory() as home:
                out = subprocess.run([sys.executable, __file__, "--one", kind], capture_output=True,
                                     text=True, check=True, env={**os.environ, "NEUROVIEW_HOME": home})
            runs[kind].append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(kind, runs[kind][-1])
    for kind, results in runs.items():
        print(kind, {key: round(statistics.median(r[key] for r in results), 3) for key in results[0]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
