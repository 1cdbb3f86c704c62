"""A full disk while saving the worklist state or a DICOM SEG: one clear error, old file kept."""

from __future__ import annotations

import os

import numpy as np
import pytest

from neuroview.core.errors import DatasetError, SaveError
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.dataset.worklist import Worklist
from neuroview.io.seg import read_series_headers, save_seg
from tests.dataset.case_folder import case_folder
from tests.dataset.fake_dicom import make_ct_series
from tests.durability import fail_fsync_of

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")


def test_worklist_state_on_a_full_disk(tmp_path, monkeypatch):
    cases = case_folder(tmp_path)
    # A temporary a killed save left is removed when the worklist is opened.
    (cases / "..neuroview-worklist.q1w2e3r4.json").write_text("{")
    worklist = Worklist.open(cases)
    assert not (cases / "..neuroview-worklist.q1w2e3r4.json").exists()
    worklist.set_status("c01.nii.gz", "proposed")
    before = worklist.state_path.read_bytes()
    fail_fsync_of(monkeypatch, "neuroview-worklist")
    with pytest.raises(DatasetError, match="worklist state not saved: the disk is full"):
        worklist.set_status("c02.nii.gz", "corrected")
    assert worklist.state_path.read_bytes() == before
    assert sorted(p.name for p in cases.iterdir() if p.name.startswith(".")) == [
        ".neuroview-worklist.json", ".neuroview-worklist.json.lock"]   # the lock: no temporary


def test_seg_on_a_full_disk(tmp_path, monkeypatch):
    datasets, array, ijk_to_ras = make_ct_series(tmp_path / "ct")
    labels = np.zeros(array.shape, np.uint8)
    labels[5:12, 4:9, 2:5] = 1
    table = SegmentTable()
    table.add("lesion", value=1)
    out = tmp_path / "seg.dcm"
    save_seg(LabelMap(labels, ijk_to_ras, table), read_series_headers([tmp_path / "ct"]), out)
    before = out.read_bytes()
    (tmp_path / ".seg.a1b2c3d4.dcm").write_bytes(b"half")  # left by a killed save
    labels[:] = 1
    fail_fsync_of(monkeypatch, ".seg.")
    with pytest.raises(SaveError, match="DICOM SEG not saved: the disk is full"):
        save_seg(LabelMap(labels, ijk_to_ras, table), read_series_headers([tmp_path / "ct"]), out)
    assert out.read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
