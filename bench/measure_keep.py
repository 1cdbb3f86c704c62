"""Wall time of one keep of an image's measurements on the GUI thread, as after each draw, move,
delete, undo or redo (``app.measure_memory``: the lock, the read and atomic write of the image's
own small file, the fsyncs handed to another thread), with the data folder holding this image
alone, and full (199 other images of 10 rulers each, the most it keeps). Median of ``--repeats``
keeps, the two cases alternated, in a temporary data folder (``NEUROVIEW_HOME``); the fsyncs of a
keep are waited for between keeps (not timed).

    python bench/measure_keep.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
            MEMORY_FOLDER,
            measure_record,
            remember_measurements,
        )
        from neuroview.app.view_measure import Ruler
        from neuroview.core import sync_later
        from neuroview.paths import user_data_path

        def keep(key: str, record: list) -> None:
            remember_measurements(key, record, base=record)

        rulers = [Ruler("axial", np.array([1.234567, 2.345678, 3.456789]) + n,
                        np.array([20.1, 9.9, 3.4])) for n in range(10)]
        others = {f"{other:064x}": measure_record(rulers) for other in range(MAX_IMAGES - 1)}
        folder = user_data_path() / MEMORY_FOLDER
        times: dict[str, list[float]] = {"alone": [], "full": []}
        for n in range(repeats):
            for name in times:
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                for key, record in (others if name == "full" else {}).items():
                    (folder / f"{key}.json").write_text(json.dumps(record))
                keep("f" * 64, measure_record(rulers[:1]))   # the image's first, not timed
                sync_later._syncer.submit(lambda: None).result()
                record = measure_record(rulers[: 1 + n % 10])
                start = time.perf_counter()
                keep("f" * 64, record)
                times[name].append(time.perf_counter() - start)
                sync_later._syncer.submit(lambda: None).result()   # its fsyncs, not timed
        for name, seconds in times.items():
            print(f"{name}: median {statistics.median(seconds) * 1000:.2f} ms, "
                  f"max {max(seconds) * 1000:.1f} ms ({repeats} keeps)")
        print(f"file of this image: {len(json.dumps(measure_record(rulers))) / 1024:.1f} kB at most")


if __name__ == "__main__":
    main()
