"""*Save to PACS* keeps the annotators' time in the SEG (``io.seg_work``), and a real Orthanc
gives the private block back: labels anna saved (70 s, 3 edits by hand), loaded and sent to the
PACS from another window, reach the next annotator who loads that SEG with anna's time. Until
session 48 a SEG carried nobody's time."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from orthanc_server import server_config
from pacs_window import menu_action, shown_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from neuroview.app.label_files import save_label_files
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io.pacs import SeriesCache, find, retrieve, save_server, store
from neuroview.io.seg_work import read_work

ANNA = {"annotator": "anna", "session": "5f2a9c01d3e4b6a7", "editing_seconds": 70.0, "hand_edits": 3}


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_the_pacs_seg_carries_every_annotators_time(empty_orthanc, small_series, tmp_path, monkeypatch,
                                                      qtbot, window):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    store(config, [small_series.folder])
    window.open_paths([small_series.folder])
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    case = window.editor.case
    mask = np.zeros(case.volume.shape[:3], dtype=np.uint8)
    mask[4:11, 5:14, 2:9] = 1
    annas = tmp_path / "anna-labels.nii.gz"
    save_label_files(LabelMap(mask, case.volume.ijk_to_ras, SegmentTable.from_values([1], {1: "lesion"})),
                     case.volume.ijk_to_ras, annas, work=[ANNA])
    case.session.load_labels(annas)

    menu_action(window, "Save to PACS...").trigger()
    dialog = window.pacs_actions.save_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.reader_edit.clear()
    qtbot.keyClicks(dialog.reader_edit, "Ben Jones")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert "Saved to lab: Ben Jones's version as DICOM SEG" in window.notice_bar.text

    head = pydicom.dcmread(small_series.files[0], stop_before_pixels=True)
    (seg,) = [s for s in find(config, "SERIES", StudyInstanceUID=str(head.StudyInstanceUID))
              if s["Modality"] == "SEG"]
    folder = retrieve(config, str(head.StudyInstanceUID), seg["SeriesInstanceUID"],
                      SeriesCache(tmp_path / "cache"))
    (seg_file,) = folder.glob("*.dcm")
    assert read_work(pydicom.dcmread(seg_file, stop_before_pixels=True))[0] == ANNA   # as Orthanc keeps it

    case.session.undo()   # anna's labels off the screen: the SEG's load brings her time back
    assert [w["annotator"] for w in case.work_done("lead")] == ["lead"]
    case.session.load_labels(seg_file)
    assert case.work_done("lead")[0] == ANNA
