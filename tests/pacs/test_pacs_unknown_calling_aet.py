"""A server that does not know our AE title (calling AE) as a modality: Orthanc accepts the
association and answers the C-ECHO, then aborts at the first C-FIND. The search said `went away
during the query`, and a retrieval failed after 30 s with `internal error: RuntimeError` (the C-GET
sent on the association the C-FIND lost); both now ask about our AE title in one line, at once."""

from __future__ import annotations

import time

import pytest
from orthanc_server import server_config
from pacs_window import search_in_dialog, shown_window

from neuroview.io.pacs import PacsError, SeriesCache, find, retrieve


def _said(server) -> str:
    return (f"stranger (NVORTHANC@127.0.0.1:{server.dicom_port}) ended the association at our query, "
            "before any answer: check that it knows our AE title (STRANGER) and lets it query")


def _config(server):
    return server_config(server, name="stranger", calling_aet="STRANGER")


def test_a_search_and_a_retrieval_ask_about_our_ae_title(orthanc, tmp_path):
    with pytest.raises(PacsError) as search:
        find(_config(orthanc), "STUDY", protocol="dimse", PatientName="DOE*")
    assert str(search.value) == _said(orthanc)
    started = time.monotonic()
    with pytest.raises(PacsError) as retrieval:
        retrieve(_config(orthanc), "1.2.3", "1.2.3.4", SeriesCache(tmp_path / "cache"), protocol="dimse")
    assert str(retrieval.value) == _said(orthanc)
    assert time.monotonic() - started < 10
    assert list((tmp_path / "cache").iterdir()) == []


def test_test_connection_asks_to_add_our_ae_title(orthanc):
    """Test connection (``pacs echo``) tries a search after the echo: it said ``connection ok``
    for a server that then refused every search."""
    from neuroview.io.pacs import echo

    with pytest.raises(PacsError) as tested:
        echo(_config(orthanc), "dimse")
    assert str(tested.value) == (
        f"stranger (NVORTHANC@127.0.0.1:{orthanc.dicom_port}) accepts echo but refuses queries from AE "
        "title STRANGER: add it as a modality on the server")
    assert echo(server_config(orthanc), "dimse") == ["DIMSE"]   # the AE title it knows: ok


window = pytest.fixture(shown_window, name="window")


def test_the_window_says_it_in_the_dialog(orthanc, tmp_path, monkeypatch, qtbot, window):
    """The whole line, in the dialog's status line wrapped to its width: it was one line, cut at
    the dialog's edge after 'check that it knows our' under X11, or widening the dialog past the
    size it had (offscreen)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QApplication

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    window.pacs_actions.open_dialog()   # (no server yet: its own line)
    width = window.pacs_actions.dialog.width()
    dialog = search_in_dialog(window, qtbot, _config(orthanc), tmp_path / "home", monkeypatch)
    qtbot.waitUntil(lambda: not window.runner.busy and dialog.search_button.isEnabled(), timeout=20000)
    status = dialog.status
    assert status.text() == _said(orthanc)
    QApplication.processEvents()
    needed = status.fontMetrics().boundingRect(QRect(0, 0, status.width(), 10000), Qt.TextWordWrap,
                                               status.text())
    assert needed.height() <= status.height()
    assert dialog.width() == width
