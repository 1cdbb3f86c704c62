"""A DICOM SEG cut short or with a damaged element, opened as labels (*Open labels*'s
``prepare_label_file``), is one error naming the file. pydicom parses an element when it is
first asked for, after ``dcmread`` returned: a SEG cut inside a sequence raised ``OSError: No tag
to read at file position 4AB`` from the segment list's read, and a damaged value representation
of its SOP class ``NotImplementedError: Unknown Value Representation`` from the test whether it
is a SEG, both outside the reader's handling (``bench/fuzz_readers.py --only seg``, session 42).
A SEG cut before its pixel data is said to be cut short: its header's gaps were the reason
(``'FileDataset' object has no attribute 'Rows'``, ``NumberOfFrames is 16, but the SEG describes
9 frames``, highdicom's ``'Segmentation' object has no attribute 'SharedFunctionalGroupsSequence'``)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from neuroview.app.label_files import prepare_label_file
from neuroview.core.errors import NeuroviewError
from neuroview.core.volume import Volume
from neuroview.io.seg import save_seg
from neuroview.io.seg_check import CUT_SHORT
from tests.io.seg_axial import axial_headers, modelled


@pytest.fixture(scope="module")
def seg(tmp_path_factory):
    headers, ijk_to_ras = axial_headers(4, 32)
    path = tmp_path_factory.mktemp("seg") / "seg.dcm"
    save_seg(modelled((32, 32, 4), ijk_to_ras)[0], headers, path)
    return path.read_bytes(), Volume(np.zeros((32, 32, 4), np.int16), ijk_to_ras)


def _refused(path, volume) -> str:
    with pytest.raises(NeuroviewError) as caught:
        prepare_label_file(path, volume)
    return str(caught.value)


CUT_REASONS = re.compile("|".join([
    re.escape(CUT_SHORT),
    r"DICOM file is truncated \(it ends inside an element's header\)",
    r"DICOM file holds no readable data elements \(truncated or damaged\)",  # in its preamble
    r"skipped, DICOM [\d.]+ holds no image \(no pixel data\)",   # cut inside its SOP class UID
    r"the SEG's pixel data holds \d+ bytes, its 16 frames of 32x32 need 2048 \(truncated\)"]))


def test_a_seg_cut_at_every_64th_is_said_to_be_cut(tmp_path, seg):
    data, volume = seg
    path = tmp_path / "seg.dcm"
    reasons = []
    for k in range(1, 64):
        path.write_bytes(data[:len(data) * k // 64])
        reason = _refused(path, volume)
        assert reason.startswith(f"{path}: "), k
        reasons.append(reason[len(f"{path}: "):])
        assert CUT_REASONS.fullmatch(reasons[-1]), (k, reason)
    assert reasons.count(CUT_SHORT) >= 45   # 50 of 63; 4 fell inside an element's header


def test_a_seg_whose_sop_class_is_damaged_is_refused_naming_it(tmp_path, seg):
    data, volume = seg
    at = data.index(b"\x08\x00\x16\x00UI")   # (0008,0016) SOPClassUID, explicit VR
    path = tmp_path / "seg.dcm"
    path.write_bytes(data[:at + 4] + b"\x55\xe3" + data[at + 6:])
    # the bytes quoted by pydicom are left out since session 43 (core.errors.private_reason)
    assert _refused(path, volume) == (f"{path}: DICOM file is damaged (SOPClassUID: Unknown Value "
                                      "Representation in tag (0008,0016) (value not shown))")


def test_a_seg_with_a_lying_length_is_refused_without_warnings(tmp_path, seg):
    """pydicom's UserWarning on each odd value it then read (``The value length (97) exceeds the
    maximum length of 64 allowed for VR UI``) came on the terminal, two lines each, above the
    error line: 36 for one length field damaged (each shown)."""
    data, volume = seg
    at = data.index(b"\x02\x00\x10\x00UI")   # (0002,0010) TransferSyntaxUID, explicit VR
    path = tmp_path / "seg.dcm"
    path.write_bytes(data[:at + 6] + b"\xff\xff" + data[at + 8:])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reason = _refused(path, volume)
    assert [str(w.message)[:60] for w in caught] == []
    assert reason == f"{path}: DICOM file holds no readable data elements (truncated or damaged)"
