"""*Save to PACS* keeps the annotators' time in the SEG (``io.seg_work``), and a real Orthanc
gives the private block back: labels anna saved (70 s, 3 edits by hand), loaded and sent to the
PACS from another window, reach the next annotator who loads that SEG with anna's time. Until
session 48 a SEG carried nobody's time."""

from __future__ import annotations

import pydicom
import pytest
from pacs_window import box_mask, opened_from_lab, save_to_pacs_as, sent_seg, shown_window

from neuroview.app.label_files import save_label_files
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io.seg_work import read_work

ANNA = {"annotator": "anna", "session": "5f2a9c01d3e4b6a7", "editing_seconds": 70.0, "hand_edits": 3}


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_the_pacs_seg_carries_every_annotators_time(empty_orthanc, small_series, tmp_path, monkeypatch,
                                                      qtbot, window):
    config = opened_from_lab(window, qtbot, empty_orthanc, small_series, tmp_path / "home", monkeypatch)
    case = window.editor.case
    annas = tmp_path / "anna-labels.nii.gz"
    save_label_files(LabelMap(box_mask(case.volume.shape), case.volume.ijk_to_ras,
                              SegmentTable.from_values([1], {1: "lesion"})),
                     case.volume.ijk_to_ras, annas, work=[ANNA])
    case.session.load_labels(annas)

    save_to_pacs_as(qtbot, window, "Ben Jones")
    assert "Saved to lab: Ben Jones's version as DICOM SEG" in window.notice_bar.text

    _, seg_file = sent_seg(config, small_series, tmp_path / "cache")
    assert read_work(pydicom.dcmread(seg_file, stop_before_pixels=True))[0] == ANNA   # as Orthanc keeps it

    case.session.undo()   # anna's labels off the screen: the SEG's load brings her time back
    assert [w["annotator"] for w in case.work_done("lead")] == ["lead"]
    case.session.load_labels(seg_file)
    assert case.work_done("lead")[0] == ANNA
