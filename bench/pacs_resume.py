"""Benchmark of a retry after a cancel: a series of 160 images of 128 x 128 on a local Orthanc
(started on 127.0.0.1 as the tests do), retrieved whole into an empty cache, then, into another,
cancelled at 120 images and retried (the retry checks the 120 kept and asks for the 40 others),
alternated, by C-GET and by WADO-RS; then the check alone of 160 kept images (the retry of a series
whose images were all kept, each read whole: ``checking 160 kept images...`` in the window's
status bar; nothing is left to fetch), timed from its first report to the report after it.
Medians over repeats.

``--sizes`` measures instead, on series of clinical sizes (a CT of 300 images of 512 x 512; 2000
images of 256 x 256, the count of an MR 4D series: 40 slices at 50 time points, written as one
stack: the check reads each file alike), the whole retrieval by C-GET into an empty cache
alternated with the check of all its images kept, and the check's share of the whole.

Run: python bench/pacs_resume.py [--repeats 5] [--sizes]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "pacs"), str(ROOT / "tests" / "io" / "dicom")]


def _cancelled_at(images: int, retrieve, *args) -> None:
    """``retrieve(*args)`` cancelled once ``images`` have arrived."""
    stop = []
    retrieve(*args, cancel=lambda: bool(stop),
             progress=lambda done, _total, _text: stop.append(done) if done >= images else None)


def _check_time(config, study_uid: str, series_uid: str, folder: Path, retrieve, SeriesCache,
                whole: list | None = None) -> float:
    """Seconds a retry takes to check the images a cancelled retrieval kept (all of them: the
    cached series moved back to ``.kept-``); the whole retrieval's seconds appended to ``whole``."""
    cache = SeriesCache(folder)
    started = time.perf_counter()
    series = retrieve(config, study_uid, series_uid, cache, "dimse")
    if whole is not None:
        whole.append(time.perf_counter() - started)
    (series / ".last-used").unlink()
    series.rename(folder / f".kept-{series_uid}")
    times = {}

    def timed(_done, _total, text):
        times.setdefault("checking" if text.startswith("checking") else "after", time.perf_counter())

    retrieve(config, study_uid, series_uid, cache, "dimse", progress=timed)   # nothing left to fetch
    return times["after"] - times["checking"]


SIZES = (("CT 512 x 512", 512, 300, "CT"), ("MR 256 x 256 (4D's count)", 256, 2000, "MR"))


def _sizes(root: Path, server, repeats: int) -> None:
    """The check of every image kept against the whole retrieval, for each of :data:`SIZES`."""
    import shutil

    from orthanc_server import server_config
    from pacs_series import uids
    from series_maker import SeriesSpec, write_series

    from neuroview.io.nifti import load_nifti
    from neuroview.io.pacs import SeriesCache, retrieve, store
    from neuroview.paths import demo_image

    config = server_config(server)
    for name, side, count, modality in SIZES:
        series = write_series(root / name, load_nifti(demo_image()), SeriesSpec(
            rows=side, cols=side, n_slices=count, row_spacing=200 / side, col_spacing=200 / side,
            slice_step=150 / count, modality=modality, series_number=count))
        store(config, [series.folder])
        study_uid, series_uid = uids(series)
        whole, checks = [], []
        for repeat in range(repeats):
            folder = root / f"{side}-{repeat}"
            checks.append(_check_time(config, study_uid, series_uid, folder, retrieve, SeriesCache,
                                      whole))
            shutil.rmtree(folder)
        share = statistics.median(c / w for c, w in zip(checks, whole))
        print(f"{name}, {count} images: whole retrieval {statistics.median(whole):.2f} s "
              f"({min(whole):.2f}-{max(whole):.2f}), check of all kept {statistics.median(checks):.2f} s "
              f"({min(checks):.2f}-{max(checks):.2f}), {share:.0%} of it (medians of {repeats})", flush=True)


def main() -> int:
    from orthanc_server import OrthancServer, server_config
    from pacs_series import uids
    from series_maker import SeriesSpec, write_series

    from neuroview.core.errors import Cancelled
    from neuroview.io.nifti import load_nifti
    from neuroview.io.pacs import SeriesCache, retrieve, store
    from neuroview.paths import demo_image

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", action="store_true", help="series of clinical sizes (above)")
    args = parser.parse_args()
    repeats = args.repeats
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "orthanc").mkdir()
        server = OrthancServer(root / "orthanc").start()
        try:
            if args.sizes:
                _sizes(root, server, repeats)
                return 0
            series = write_series(root / "series", load_nifti(demo_image()), SeriesSpec(
                rows=128, cols=128, n_slices=160, row_spacing=1.5, col_spacing=1.5, slice_step=1.0))
            config = server_config(server)
            store(config, [series.folder])
            study_uid, series_uid = uids(series)
            for protocol in ("dimse", "web"):
                whole, retry = [], []
                for repeat in range(repeats):
                    cache = SeriesCache(root / f"{protocol}-{repeat}-whole")
                    started = time.perf_counter()
                    retrieve(config, study_uid, series_uid, cache, protocol)
                    whole.append(time.perf_counter() - started)
                    cache = SeriesCache(root / f"{protocol}-{repeat}-retry")
                    try:
                        _cancelled_at(120, retrieve, config, study_uid, series_uid, cache, protocol)
                    except Cancelled:
                        pass
                    kept = cache.kept(series_uid)
                    started = time.perf_counter()
                    retrieve(config, study_uid, series_uid, cache, protocol)
                    retry.append(time.perf_counter() - started)
                print(f"{protocol}: whole series {statistics.median(whole):.2f} s, retry with {kept} of 160 "
                      f"kept {statistics.median(retry):.2f} s (medians of {repeats})")
            checks = [_check_time(config, study_uid, series_uid, root / f"all-{repeat}", retrieve,
                                  SeriesCache) for repeat in range(repeats)]
            print(f"check of 160 kept images: {statistics.median(checks):.2f} s (median of {repeats}, "
                  f"{min(checks):.2f}-{max(checks):.2f})")
        finally:
            server.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
