"""Benchmark: *Open follow-up* looking through the PACS cache for the prior of the study on
screen (``io.pacs_cached.cached_prior``, run off the GUI thread), one header a cached
series, read by neuroview's own reader (``io.dicom.quick_read``) against pydicom's ``dcmread``
(``stop_before_pixels``, the tags asked for), which it used first, in the same run. The cache:
``--series`` series of one image each of 256 x 256 (a fifth of them the patient's), in a fresh
temporary folder, read warm (the page cache holds them after the first run). Printed: medians
and ranges over ``--repeats`` runs, alternated, and their ratio.

Run: PYTHONPATH=. python bench/pacs_cached_prior.py [--series 500] [--repeats 7]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from neuroview.io import pacs_cached as cached_studies  # noqa: E402

ROOT = "1.2.826.0.1.3680043.8.498.78"


def make_cache(root: Path, count: int) -> None:
    pixels = np.zeros((256, 256), np.int16).tobytes()
    for n in range(1, count + 1):
        folder = root / f"{ROOT}.{n}"
        folder.mkdir()
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = MRImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = f"{ROOT}.{n}.1"
        ds.PatientID = "P1" if n % 5 == 0 else f"P{n}"
        ds.StudyInstanceUID, ds.SeriesInstanceUID = f"{ROOT}.9{n % 50}", folder.name
        ds.StudyDate, ds.StudyDescription, ds.Modality = f"2023{n % 12 + 1:02d}01", "MRI brain", "MR"
        ds.SeriesNumber, ds.SeriesDescription = 3, "FLAIR"
        ds.Rows = ds.Columns = 256
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.PixelData = pixels
        pydicom.dcmwrite(folder / f"{ds.SOPInstanceUID}.dcm", ds, enforce_file_format=True)
        (folder / ".last-used").touch()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    shown = {"PatientID": "P1", "StudyInstanceUID": f"{ROOT}.999", "StudyDate": "20240310",
             "Modality": "MR", "SeriesDescription": "FLAIR"}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_cache(root, args.series)
        times: dict[str, list[float]] = {"quick_read": [], "pydicom": []}
        found = {}
        for _ in range(args.repeats + 1):   # the first of each: the files read once, not counted
            for name in times:
                declined = mock.patch.object(cached_studies, "quick_read", lambda _path: None)
                with declined if name == "pydicom" else contextlib.nullcontext():
                    start = time.perf_counter()
                    found[name] = cached_studies.cached_prior(shown, root)
                    times[name].append(time.perf_counter() - start)
        assert found["quick_read"] == found["pydicom"] and found["pydicom"] is not None
        for name, runs in times.items():
            runs = runs[1:]
            print(f"{name}: {statistics.median(runs) * 1000:.0f} ms for {args.series} series "
                  f"(range {min(runs) * 1000:.0f}-{max(runs) * 1000:.0f} ms)")
        ratio = statistics.median(times["pydicom"][1:]) / statistics.median(times["quick_read"][1:])
        print(f"pydicom / quick_read: {ratio:.1f}")


if __name__ == "__main__":
    main()
