"""A CT series (``tests.dataset.fake_dicom``) and a DICOM SEG of it saved by neuroview: a lesion
box and a small oedema box, or one small box per segment made as the test says."""

from __future__ import annotations

import numpy as np

from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.core.volume import Volume
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


def seg_of_segments(folder, segments):
    """The series written into ``folder`` and its SEG ``FOLDER-seg.dcm`` beside it, a 3 x 5 x 3 box
    per segment of ``segments`` ((name, ``SegmentTable.add``'s keywords), their values 1, 2, ...):
    (the SEG, the series as a volume)."""
    _datasets, array, ijk_to_ras = make_ct_series(folder)
    labels = np.zeros(array.shape, np.uint8)
    table = SegmentTable()
    for value, (name, made) in enumerate(segments, start=1):
        labels[2 + 4 * value:5 + 4 * value, 4:9, 1:4] = value
        table.add(name, value=value, **made)
    seg = folder.with_name(f"{folder.name}-seg.dcm")
    save_seg(LabelMap(labels, ijk_to_ras, table), read_series_headers([folder]), seg)
    return seg, Volume(array, ijk_to_ras, modality="CT")
