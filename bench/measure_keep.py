"""Wall time of one keep of an image's measurements on the GUI thread (``app.measure_memory``:
the lock, the read of ``drawn-measurements.json``, the atomic write with its fsyncs, the rename),
as after each draw, move, delete, undo or redo: with the file empty but for this image, and with
it full (199 other images of 10 rulers each, the most it keeps). Median of ``--repeats`` keeps,
the two cases alternated, in a temporary data folder (``NEUROVIEW_HOME``).

    python bench/measure_keep.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    repeats = parser.parse_args().repeats
    with tempfile.TemporaryDirectory() as home:
        os.environ["NEUROVIEW_HOME"] = home
        from neuroview.app.measure_memory import (
            MAX_IMAGES,
            measure_record,
            memory_file,
            remember_measurements,
        )
        from neuroview.app.view_measure import Ruler

        rulers = [Ruler("axial", np.array([1.234567, 2.345678, 3.456789]) + n,
                        np.array([20.1, 9.9, 3.4])) for n in range(10)]
        others = {f"{other:064x}": measure_record(rulers) for other in range(MAX_IMAGES - 1)}
        times: dict[str, list[float]] = {"alone": [], "full": []}
        for n in range(repeats):
            for case in times:
                memory_file().write_text(json.dumps(others if case == "full" else {}))
                record = measure_record(rulers[: 1 + n % 10])
                start = time.perf_counter()
                remember_measurements("f" * 64, record)
                times[case].append(time.perf_counter() - start)
        size = memory_file().stat().st_size
        for case, seconds in times.items():
            print(f"{case}: median {statistics.median(seconds) * 1000:.1f} ms, "
                  f"max {max(seconds) * 1000:.1f} ms ({repeats} keeps)")
        print(f"full file: {size / 1024:.0f} kB")


if __name__ == "__main__":
    main()
