"""*Open from PACS...* retrying a series whose images an earlier try kept: while the retry reads
each kept image whole to check it, the status bar says so with their count (``Retrieving from lab:
checking 12 kept images...``, its bar moving; it said only ``Retrieving from lab`` until session
48), and *Cancel* stops the check, the images still kept for the next retry."""

from __future__ import annotations

import shutil
import time

import pydicom
import pytest
from orthanc_server import server_config
from pacs_series import uids
from pacs_window import open_series, search_in_dialog, shown_window
from PySide6.QtCore import Qt

from neuroview.io.pacs import SeriesCache, store


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_checking_kept_images_is_counted_and_cancellable(empty_orthanc, small_series, tmp_path,
                                                         monkeypatch, qtbot, window):
    import neuroview.ui.pacs_dialog as pacs_dialog

    config = server_config(empty_orthanc, name="lab")
    store(config, [small_series.folder])
    series_uid = uids(small_series)[1]
    kept = tmp_path / "home" / "pacs-cache" / f".kept-{series_uid}"   # an earlier try kept them all
    kept.mkdir(parents=True)
    for file in small_series.files:
        sop = pydicom.dcmread(file, stop_before_pixels=True).SOPInstanceUID
        shutil.copy(file, kept / f"{sop}.dcm")
    real_retrieve = pacs_dialog.retrieve

    def slow_disk(*args, progress, **kwargs):  # the real retrieval, its kept images on a slow disk
        def slow(done, total, text):
            if text.startswith("checking"):
                time.sleep(0.2)
            progress(done, total, text)
        return real_retrieve(*args, progress=slow, **kwargs)

    monkeypatch.setattr(pacs_dialog, "retrieve", slow_disk)
    dialog = search_in_dialog(window, qtbot, config, tmp_path / "home", monkeypatch)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
    open_series(qtbot, dialog)
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=20000)
    assert window.progress_text.text() == ("Retrieving series 3 FLAIR pacs test from lab: checking 12 kept "
                                              "images...")
    assert window.cancel_button.isVisible()
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    assert window.controller.volume is None
    assert window.notice_bar.text.startswith("Retrieval of series 3 FLAIR pacs test cancelled: the 12 "
                                             "images received are kept for a retry")
    assert SeriesCache(tmp_path / "home" / "pacs-cache").kept(series_uid) == 12
