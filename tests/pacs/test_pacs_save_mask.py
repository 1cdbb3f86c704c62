"""Save to PACS: a corrected mask as DICOM SEG, stored and read back voxel for voxel."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from orthanc_server import server_config

from neuroview.core.labels import LabelMap, Segment, SegmentTable
from neuroview.io import load
from neuroview.io.pacs import SeriesCache, find, retrieve, store
from neuroview.io.pacs.save_mask import save_mask_to_pacs
from neuroview.io.seg import load_seg


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_corrected_mask_round_trip(empty_orthanc, small_series, tmp_path, protocol):
    config = server_config(empty_orthanc)
    store(config, [small_series.folder])
    head = pydicom.dcmread(small_series.files[0], stop_before_pixels=True)
    study_uid, series_uid = str(head.StudyInstanceUID), str(head.SeriesInstanceUID)
    cache = SeriesCache(tmp_path / "cache")
    source = retrieve(config, study_uid, series_uid, cache, protocol=protocol)
    volume = load(source)
    mask = np.zeros(volume.shape[:3], dtype=np.uint8)
    mask[5:12, 6:15, 3:8] = 1  # a lesion...
    mask[8:10, 8:10, 5] = 0  # ...with a hole the reader cut out
    mask[2:4, 2:4, 9:11] = 2  # and a second segment
    table = SegmentTable({1: Segment(1, "Lesion", (255, 0, 0)), 2: Segment(2, "Lesion 2", (0, 255, 0))})
    seg_series = save_mask_to_pacs(config, LabelMap(mask, volume.ijk_to_ras, table), source,
                                   reader="Smith^Ann", model="wmh-unet@3", protocol=protocol)

    listed = find(config, "SERIES", protocol=protocol, StudyInstanceUID=study_uid)
    seg_entry = next(s for s in listed if s["SeriesInstanceUID"] == seg_series)
    assert seg_entry["Modality"] == "SEG"
    assert seg_entry["SeriesDescription"] == "Lesions - Ann Smith's version (from model wmh-unet@3)"
    folder = retrieve(config, study_uid, seg_series, cache, protocol=protocol)
    (seg_file,) = folder.glob("*.dcm")
    ds = pydicom.dcmread(seg_file)
    assert str(ds.ContentCreatorName) == "Smith^Ann"
    assert ds.ReferencedSeriesSequence[0].SeriesInstanceUID == series_uid
    assert ds.ContributingEquipmentSequence[0].ManufacturerModelName == "wmh-unet"
    back = load_seg(seg_file, volume=volume)
    assert np.array_equal(back.array, mask)
