"""A reader's SEG sent to the PACS is dated: the Open from PACS tree shows the day and time it was
made, as OHIF's and Slicer's DICOM browsers do for a SEG dcmqi wrote (highdicom dates only its
content, so the row's Date was empty), and lists a reader's versions oldest first."""

from __future__ import annotations

import datetime
import re

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
    assert rows["SEG"].text(1)[:10] in days     # it was ''
    assert rows["MR"].text(1) == "2024-01-02"   # the image's own date, untouched
    # the file on the server: the series date is the day of its content, and a time with it
    study_uid, seg_uid = rows["SEG"].data(0, Qt.UserRole)
    (seg_file,) = retrieve(config, study_uid, seg_uid, SeriesCache(tmp_path / "cache")).glob("*.dcm")
    seg = pydicom.dcmread(seg_file, stop_before_pixels=True)
    assert (seg.SeriesDate, seg.SeriesTime) == (seg.ContentDate, seg.ContentTime)
    assert [s["SeriesDate"] for s in find(config, "SERIES", StudyInstanceUID=study_uid)
            if s["Modality"] == "SEG"] == [seg.ContentDate]
    stop_jobs(window.runner)


def _rows(window, qtbot, kind: str) -> list:
    """*Search* in *Open from PACS...*: the tree's rows of modality ``kind``, top to bottom."""
    window.pacs_actions.open_dialog()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1 and not window.runner.busy, timeout=20000)
    rows, iterator = [], QTreeWidgetItemIterator(dialog.tree)
    while iterator.value() is not None:
        if iterator.value().text(2) == kind:
            rows.append(iterator.value())
        iterator += 1
    return rows


def test_a_readers_versions_are_told_apart_latest_last(empty_orthanc, small_series, tmp_path,
                                                      monkeypatch, qtbot):
    """Ann Smith sends her SEG, corrects it and sends it again: both rows read "Lesions - Ann
    Smith's version" with one number (900), so each says when it was made, to the second, and the
    latest is listed last. They read the same day alone and came in the server's order: in the
    walk the last row was the first version."""
    import time

    from neuroview.core.labels import LabelMap
    from neuroview.io.pacs.save_mask import save_mask_to_pacs
    from neuroview.ui.main_window import MainWindow

    config, volume, mask = reader_seg_on_server(empty_orthanc, small_series, tmp_path, monkeypatch)
    time.sleep(1.1)   # SeriesTime to the second: the correction a second later at least
    corrected = mask.copy()
    corrected[4:6, 5:10, 2:6] = 0
    labels = LabelMap(corrected, volume.ijk_to_ras)
    labels.segments.add("lesion", value=1)
    latest = save_mask_to_pacs(config, labels, small_series.folder, reader="Ann Smith")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    rows = _rows(window, qtbot, "SEG")
    assert [row.text(0) for row in rows] == ["900 Lesions - Ann Smith's version"] * 2
    made = [row.text(1) for row in rows]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text) for text in made), made
    assert made[0] < made[1] and rows[-1].data(0, Qt.UserRole)[1] == latest
    stop_jobs(window.runner)
