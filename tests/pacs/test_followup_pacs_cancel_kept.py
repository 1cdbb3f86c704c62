"""A follow-up cancelled while its baseline is retrieved from a PACS says that the images received
are kept and that *Open follow-up* again goes on from there (the retry asks only for the rest): it
said "nothing was compared" alone until session 51, as if the transfer were lost. Against the
tests' Orthanc, the status bar's Cancel clicked as the third image arrives."""

from __future__ import annotations

import threading

import pydicom
import pytest
from orthanc_server import server_config
from pacs_window import shown_window
from PySide6.QtCore import Qt

from neuroview.io.pacs import SeriesCache, save_server, store

window = pytest.fixture(shown_window, name="window")


def test_cancelled_retrieval_says_what_is_kept(empty_orthanc, small_series, tmp_path, monkeypatch,
                                               qtbot, window):
    import neuroview.io.pacs.series_uri as series_uri
    from neuroview.ui.followup_open import start_followup

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    store(server_config(empty_orthanc), [small_series.folder])
    uid = str(pydicom.dcmread(small_series.files[0], stop_before_pixels=True).SeriesInstanceUID)
    real_retrieve, third, go = series_uri.retrieve, threading.Event(), threading.Event()

    def watched(*args, progress, **kwargs):   # held at the third image until Cancel is clicked
        def told(done, total, text=""):
            progress(done, total, text)
            if done == 3 and not third.is_set():
                third.set()
                go.wait(10)
        return real_retrieve(*args, progress=told, **kwargs)

    monkeypatch.setattr(series_uri, "retrieve", watched)
    later = str(tmp_path / "later.nii.gz")
    start_followup(window, {"baseline": f"pacs://lab/{uid}", "baseline_labels": later,
                            "followup": later, "followup_labels": later}, brain_threshold=True)
    qtbot.waitUntil(third.is_set, timeout=20000)
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    go.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    kept = SeriesCache().kept(uid)
    assert 3 <= kept < 12
    assert window.notice_bar.text == (
        f"Follow-up cancelled: nothing was compared; {kept} of 12 images of the baseline kept: "
        "File > Open follow-up... again goes on from there.")
