"""A CT series (``tests.dataset.fake_dicom``) and a DICOM SEG of it saved by neuroview: a lesion
box and a small oedema box."""

from __future__ import annotations

import numpy as np

from neuroview.core.labels import LabelMap
from neuroview.io.seg import read_series_headers, save_seg
from tests.dataset.fake_dicom import make_ct_series


def series_with_seg(tmp_path, orientation=(1, 0, 0, 0, 1, 0)):
    """The series (its slices along ``orientation``, DICOM's row and column directions) under
    ``tmp_path / "series"`` and its SEG ``labels-seg.dcm``: (folder, SEG, mask, ijk_to_ras)."""
    folder = tmp_path / "series"
    _datasets, array, ijk_to_ras = make_ct_series(folder, orientation=orientation)
    mask = np.zeros(array.shape, np.uint8)
    mask[10:20, 8:16, 2:6] = 1
    mask[4:7, 4:7, 1:3] = 2
    labels = LabelMap(mask, ijk_to_ras)
    labels.segments.add("lesion", value=1)
    labels.segments.add("oedema", value=2)
    seg = tmp_path / "labels-seg.dcm"
    save_seg(labels, read_series_headers([folder]), seg)
    return folder, seg, mask, ijk_to_ras
