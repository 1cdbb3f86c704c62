"""Compare readers with a reader's SEG that carries the model's *brain* (``save_seg`` sends it as
its own anatomical segment, under the lesions): the brain is context, not the reader's finding;
it counted as a lesion of a litre, so the Dice of that reader with any other was near 0."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from neuroview.app.readers import compare_readers
from neuroview.core.extent import encode_extent
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io.seg import save_seg
from tests.app.readers_series import readers_series


def test_a_readers_brain_segment_is_not_counted_as_a_lesion(tmp_path, mni_volume):
    volume, headers = readers_series(tmp_path, mni_volume)
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
