"""A reader's SEG sent to the PACS is dated: the Open from PACS tree shows the day it was made, as
OHIF's and Slicer's DICOM browsers do for a SEG dcmqi wrote (highdicom dates only its content, so
the row's Date was empty)."""

from __future__ import annotations

import datetime

import pydicom
from pacs_window import reader_seg_on_server
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItemIterator

from neuroview.io.pacs import SeriesCache, find, retrieve
from tests.jobs_stopped import stop_jobs


def test_a_readers_seg_is_dated_in_the_search_tree(empty_orthanc, small_series, tmp_path, monkeypatch,
                                                   qtbot):
    from neuroview.ui.main_window import MainWindow

    days = {datetime.date.today().isoformat()}
    config, _volume, _mask = reader_seg_on_server(empty_orthanc, small_series, tmp_path, monkeypatch)
    days.add(datetime.date.today().isoformat())  # made just before midnight: either day

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.pacs_actions.open_dialog()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1 and not window.runner.busy, timeout=20000)
    rows, iterator = {}, QTreeWidgetItemIterator(dialog.tree)
    while iterator.value() is not None:
        rows[iterator.value().text(2)] = iterator.value()
        iterator += 1
    assert "Ann Smith's version" in rows["SEG"].text(0)
    assert rows["SEG"].text(1) in days          # it was ''
    assert rows["MR"].text(1) == "2024-01-02"   # the image's own date, untouched
    # the file on the server: the series date is the day of its content, and a time with it
    study_uid, seg_uid = rows["SEG"].data(0, Qt.UserRole)
    (seg_file,) = retrieve(config, study_uid, seg_uid, SeriesCache(tmp_path / "cache")).glob("*.dcm")
    seg = pydicom.dcmread(seg_file, stop_before_pixels=True)
    assert (seg.SeriesDate, seg.SeriesTime) == (seg.ContentDate, seg.ContentTime)
    assert [s["SeriesDate"] for s in find(config, "SERIES", StudyInstanceUID=study_uid)
            if s["Modality"] == "SEG"] == [seg.ContentDate]
    stop_jobs(window.runner)
