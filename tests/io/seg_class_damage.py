"""A CT series and a DICOM SEG of it whose SOP Class UID has one byte changed (its last digit, in
the dataset, not the file meta), Modality still SEG (``test_seg_class.py``, the window's test)."""

from __future__ import annotations

import numpy as np
import pydicom

from neuroview.core.labels import LabelMap
from neuroview.io.seg import read_series_headers, save_seg
from tests.dataset.fake_dicom import make_ct_series

SEG_CLASS = b"1.2.840.10008.5.1.4.1.1.66.4"


def damaged_seg(tmp, name="damaged.dcm"):
    """(series folder, intact SEG, the damaged SEG, the mask written)."""
    folder = tmp / "series"
    _datasets, array, ijk_to_ras = make_ct_series(folder)
    mask = np.zeros(array.shape, np.uint8)
    mask[10:20, 8:16, 2:6] = 1
    labels = LabelMap(mask, ijk_to_ras)
    labels.segments.add("lesion", value=1)
    seg = tmp / "seg.dcm"
    save_seg(labels, read_series_headers([folder]), seg)
    raw = seg.read_bytes()
    at = raw.index(SEG_CLASS, raw.index(SEG_CLASS) + 1) + len(SEG_CLASS) - 1   # the dataset's
    damaged = tmp / name
    damaged.write_bytes(raw[:at] + b"5" + raw[at + 1:])
    assert pydicom.dcmread(damaged).SOPClassUID == "1.2.840.10008.5.1.4.1.1.66.5"
    return folder, seg, damaged, mask
