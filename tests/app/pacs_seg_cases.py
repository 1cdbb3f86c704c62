"""A reader's SEG as the PACS cache keeps it, for the SEG naming tests (test_pacs_seg_names,
test_pacs_seg_restore): written with highdicom over a DICOM series, then named by its SOP Instance
UID in a folder of its own beside the image's, as ``SeriesCache`` lays out retrieved series."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.core.labels import LabelMap, SegmentTable  # noqa: E402
from neuroview.io.pacs.payload import read_instance  # noqa: E402
from neuroview.io.seg import save_seg  # noqa: E402

SPEC = dict(rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0, slice_step=8.0,
            description="FLAIR")


def cached_series(folder: Path, mni_volume):
    """A small FLAIR series written into ``folder`` (``series_maker``'s result)."""
    return write_series(folder, mni_volume, SeriesSpec(**SPEC))


def cached_seg(folder: Path, volume, headers, description, reader) -> Path:
    """A SEG of a box (value 1, 'lesion') over ``volume``, written into ``folder`` and renamed as
    the PACS cache names it: its SOP Instance UID."""
    lesion = np.zeros(volume.shape, np.uint8)
    lesion[4:8, 4:8, 3:6] = 1
    table = SegmentTable()
    table.add("lesion", value=1)
    folder.mkdir(parents=True, exist_ok=True)
    written = folder / "seg.dcm"
    save_seg(LabelMap(lesion, volume.ijk_to_ras, table), headers, written,
             series_description=description, content_creator=reader)
    uid = str(read_instance(written, str(written), stop_before_pixels=True).SOPInstanceUID)
    return written.rename(folder / f"{uid}.dcm")
