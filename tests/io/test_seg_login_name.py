"""A reader named by a login, one word (``anna``), saved in a DICOM SEG: ContentCreatorName is
written ``anna^`` (a family name alone, PS3.5 6.2.1.2, as highdicom asks), so highdicom no longer
warns at each save, and the reader reads back ``anna`` in Compare readers' list."""

from __future__ import annotations

import warnings

import numpy as np
import pydicom

from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io import load
from neuroview.io.pacs.readers import seg_version
from neuroview.io.seg import read_series_headers, save_seg
from tests.dataset.fake_dicom import make_ct_series


def _saved(tmp_path, reader: str):
    folder = tmp_path / "ct"
    folder.mkdir()
    _, array, ijk_to_ras = make_ct_series(folder, shape=(16, 14, 4))
    labels = np.zeros(array.shape, np.uint8)
    labels[4:9, 3:8, 1:3] = 1
    table = SegmentTable()
    table.add("lesion", color=(230, 25, 75), value=1)
    path = tmp_path / "seg.dcm"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save_seg(LabelMap(labels, ijk_to_ras, table), read_series_headers([folder]), path,
                 content_creator=reader)
    volume = load([folder])
    return path, volume, [str(w.message) for w in caught]


def test_a_login_is_saved_as_a_family_name_without_a_warning(tmp_path):
    path, volume, caught = _saved(tmp_path, "anna")
    assert not [m for m in caught if "person name" in m], caught
    assert str(pydicom.dcmread(path, stop_before_pixels=True).ContentCreatorName) == "anna^"
    version = seg_version(path, str(volume.source_metadata["SeriesInstanceUID"]), volume)
    assert version.reader == "anna" and (version.labels.array > 0).sum() == 50


def test_a_name_in_pn_form_is_kept_as_it_is(tmp_path):
    path, volume, caught = _saved(tmp_path, "Smith^Ann")
    assert str(pydicom.dcmread(path, stop_before_pixels=True).ContentCreatorName) == "Smith^Ann"
    assert seg_version(path, str(volume.source_metadata["SeriesInstanceUID"]), volume).reader \
        == "Smith^Ann"
