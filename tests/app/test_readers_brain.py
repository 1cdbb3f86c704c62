"""Compare readers with a reader's SEG that carries the model's *brain* (``save_seg`` sends it as
its own anatomical segment, under the lesions): the brain is context, not the reader's finding;
it counted as a lesion of a litre, so the Dice of that reader with any other was near 0."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.app.readers import compare_readers  # noqa: E402
from neuroview.core.extent import encode_extent  # noqa: E402
from neuroview.core.labels import LabelMap, SegmentTable  # noqa: E402
from neuroview.io import load  # noqa: E402
from neuroview.io.seg import read_series_headers, save_seg  # noqa: E402


def test_a_readers_brain_segment_is_not_counted_as_a_lesion(tmp_path, mni_volume):
    series = write_series(tmp_path / "study" / "series", mni_volume,
                          SeriesSpec(rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
                                     slice_step=8.0, description="FLAIR readers"))
    volume = load(series.folder)
    headers = read_series_headers([series.folder])
    lesion = np.zeros(volume.shape, bool)
    lesion[4:8, 4:8, 3:6] = True
    brain = np.zeros(volume.shape, bool)
    brain[2:18, 2:18, 1:10] = True
    # Ann corrected the model's result, brain and all; Bob drew the same lesion by hand
    table = SegmentTable()
    table.add("lesion", value=1, origin="model", model="lesionseg@2.5.1", drawn=True)
    made = table.add("brain", value=2, origin="model", model="lesionseg@2.5.1")
    table.put(dataclasses.replace(made, extent=encode_extent(brain)))
    ann = LabelMap(np.where(lesion, 1, np.where(brain, 2, 0)).astype(np.uint8), volume.ijk_to_ras, table)
    save_seg(ann, headers, tmp_path / "study" / "ann.dcm", series_description="Lesions - Smith^Ann's version",
             content_creator="Smith^Ann")
    save_seg(LabelMap(lesion.astype(np.uint8), volume.ijk_to_ras), headers, tmp_path / "study" / "bob.dcm",
             series_description="Lesions - Jones^Bob's version", content_creator="Jones^Bob")

    comparison = compare_readers(volume, None, "majority")
    assert np.array_equal(comparison.masks["Smith^Ann"], lesion)
    (pair,) = comparison.pairs
    assert pair.dice == pytest.approx(1.0) and pair.volume_difference_ml == pytest.approx(0.0)
