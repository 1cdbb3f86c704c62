"""A DICOM SEG keeps the annotators' editing sessions behind its labels (``io.seg_work``): a
private block, creator ``NEUROVIEW WORK``, that pydicom and highdicom read back, also from an
implicit-VR copy (as a PACS may store it), and that ``load_seg`` gives every segment. Until
session 48 only a NIfTI save's sidecar kept them: a case handed on through the PACS lost
everyone's time."""

from __future__ import annotations

import highdicom as hd
import numpy as np
import pydicom

from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.core.volume import Volume
from neuroview.io.seg import load_seg, read_series_headers, save_seg
from neuroview.io.seg_work import read_work
from tests.dataset.fake_dicom import make_ct_series

WORK = [{"annotator": "anna", "session": "5f2a9c01d3e4b6a7", "editing_seconds": 70.0, "hand_edits": 3},
        {"annotator": "Jörg Müller", "session": "0b1c2d3e4f5a6b7c", "editing_seconds": 25.5,
         "hand_edits": 2}]


def test_the_seg_keeps_each_session_and_reads_it_back(tmp_path):
    folder = tmp_path / "ct"
    _datasets, array, ijk_to_ras = make_ct_series(folder)
    labels = np.zeros(array.shape, np.uint8)
    labels[4:8, 4:9, 1:4], labels[10:13, 4:9, 1:4] = 1, 2
    table = SegmentTable()
    table.add("lesion", value=1)
    table.add("edema", value=2)
    path = tmp_path / "seg.dcm"
    save_seg(LabelMap(labels, ijk_to_ras, table), read_series_headers([folder]), path, work=WORK)

    plain = pydicom.dcmread(path)
    block = plain.private_block(0x0071, "NEUROVIEW WORK")
    items = block[0x10].value
    assert [(item.private_block(0x0071, "NEUROVIEW WORK")[0x01].value,
             item.private_block(0x0071, "NEUROVIEW WORK")[0x03].value) for item in items] == \
        [("anna", 70.0), ("Jörg Müller", 25.5)]
    assert plain.SpecificCharacterSet == "ISO_IR 192"   # the names as written, not Latin-1 bytes
    assert list(read_work(hd.seg.segread(path))) == WORK

    implicit = tmp_path / "implicit.dcm"   # a PACS's copy under another transfer syntax
    plain.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
    plain.save_as(implicit, enforce_file_format=True)
    assert list(read_work(pydicom.dcmread(implicit))) == WORK

    back = load_seg(path, Volume(array, ijk_to_ras, modality="CT")).segments
    assert [list(segment.work) for segment in back] == [WORK, WORK]


def test_a_seg_without_work_reads_none(tmp_path):
    folder = tmp_path / "ct"
    _datasets, array, ijk_to_ras = make_ct_series(folder)
    labels = np.zeros(array.shape, np.uint8)
    labels[4:8, 4:9, 1:4] = 1
    path = tmp_path / "seg.dcm"
    save_seg(LabelMap(labels, ijk_to_ras, SegmentTable.from_values([1])), read_series_headers([folder]), path)
    assert 0x00710010 not in pydicom.dcmread(path)
    assert read_work(hd.seg.segread(path)) == ()
    assert load_seg(path).segments.get(1).work == ()
