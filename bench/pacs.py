"""Benchmark of retrieving one series from a local Orthanc: C-GET and WADO-RS into the cache.

A 256 x 256 x 60 MR series (16-bit, ~7.9 MB) is stored on an Orthanc started on 127.0.0.1 (as the
tests do), then retrieved into an empty cache with each protocol; the reference is copying the same
files from one local folder to another (the floor for any retrieval). Medians over repeats.

Run: python bench/pacs.py [--repeats 3] [--slices 60]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pacs"))
sys.path.insert(0, str(ROOT / "tests" / "io" / "dicom"))

from orthanc_server import CLIENT_AET, PASSWORD, SERVER_AET, USER, OrthancServer  # noqa: E402
from series_maker import SeriesSpec, write_series  # noqa: E402
from timing import median_seconds  # noqa: E402

from neuroview.io.nifti import load_nifti  # noqa: E402
from neuroview.io.pacs import SeriesCache, ServerConfig, retrieve, store  # noqa: E402
from neuroview.paths import demo_image  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--slices", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nv-bench-pacs-"))
    server = OrthancServer(work / "orthanc")
    server.root.mkdir()
    server.start()
    try:
        series = write_series(work / "series", load_nifti(demo_image()),
                              SeriesSpec(rows=256, cols=256, n_slices=args.slices, row_spacing=0.9,
                                         col_spacing=0.9, slice_step=2.5))
        import pydicom

        head = pydicom.dcmread(series.files[0], stop_before_pixels=True)
        study, uid = str(head.StudyInstanceUID), str(head.SeriesInstanceUID)
        config = ServerConfig(name="bench", host="127.0.0.1", port=server.dicom_port,
                              called_aet=SERVER_AET, calling_aet=CLIENT_AET, url=server.dicomweb_url,
                              username=USER, password=PASSWORD)
        store(config, [series.folder])
        size = sum(f.stat().st_size for f in series.files) / 1e6

        def copy_local():
            target = work / "copy"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(series.folder, target)

        def fetch(protocol):
            def run():
                cache_dir = work / f"cache-{protocol}"
                shutil.rmtree(cache_dir, ignore_errors=True)
                retrieve(config, study, uid, SeriesCache(cache_dir), protocol=protocol)
            return run

        reference = median_seconds(copy_local, args.repeats)
        print(f"series: {len(series.files)} files, {size:.1f} MB")
        print(f"local copy (reference): {reference * 1000:8.1f} ms")
        for protocol, label in (("dimse", "C-GET"), ("web", "WADO-RS")):
            seconds = median_seconds(fetch(protocol), args.repeats)
            print(f"{label:<22}: {seconds * 1000:8.1f} ms  ({seconds / reference:5.1f} x local copy, "
                  f"{size / seconds:6.1f} MB/s)")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
