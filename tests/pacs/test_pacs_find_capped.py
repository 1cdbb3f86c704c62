"""A C-FIND answering thousands of studies is cut at a limit, the server sent a C-CANCEL, and a line
says more match: the window asked the series of every study (3,000 took 157 s on the 2-core
machine; 100,000 would take over an hour), ``pacs find`` listed them all."""

from __future__ import annotations

import http.server
import json

import pytest
from fake_qr import start_qr_scp
from fake_web import send, serving
from pacs_window import search_in_dialog, shown_window
from pydicom.dataset import Dataset

from neuroview.cli.main import main
from neuroview.io.pacs import ServerConfig, save_server

STUDIES = 20000
"""Studies the server matches: made as asked, so the count it made says whether it was stopped."""


@pytest.fixture(scope="module")
def crowded_pacs():
    """A Q/R SCP whose C-FIND at STUDY level matches STUDIES studies (made as asked, so a C-CANCEL
    stops it), each with one series. Yields (port, sent): how many study answers it made."""
    sent = {"studies": 0}

    def on_find(event):
        level = str(event.identifier.QueryRetrieveLevel)
        for number in range(STUDIES if level == "STUDY" else 1):
            if event.is_cancelled:
                yield 0xFE00, None
                return
            answer = Dataset()
            answer.QueryRetrieveLevel = level
            answer.PatientName, answer.PatientID = "Crowd^Many", "P1"
            answer.StudyDescription = "Knee" if number % 2 else "Brain MRI"
            answer.StudyInstanceUID = (f"1.2.826.0.1.3680043.2.1125.90.{number}" if level == "STUDY"
                                       else str(event.identifier.StudyInstanceUID))
            if level == "SERIES":
                answer.SeriesInstanceUID = answer.StudyInstanceUID + ".1"
                answer.NumberOfSeriesRelatedInstances = 2
            else:
                sent["studies"] += 1
            yield 0xFF00, answer

    server, port = start_qr_scp("CROWDPACS", on_find, None, None)
    yield port, sent
    server.shutdown()


def _config(port: int) -> ServerConfig:
    return ServerConfig(name="crowd", host="127.0.0.1", port=port, called_aet="CROWDPACS",
                        calling_aet="NEUROVIEW", timeout=20)


def test_pacs_find_lists_up_to_its_limit_and_says_more(crowded_pacs, tmp_path, monkeypatch, capsys):
    port, sent = crowded_pacs
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(_config(port))
    sent["studies"] = 0
    assert main(["pacs", "find", "--server", "crowd", "--limit", "40"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 41 and all("StudyInstanceUID=1.2.826" in line for line in lines[:40])
    assert lines[-1] == "40 matches; crowd returned 40, the most asked for (--limit): narrow the search"
    # the server was told to stop, not read to its end (how many it made before it read the
    # C-CANCEL depends on the load: 40 to 1,100 seen)
    assert sent["studies"] < STUDIES


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_open_from_pacs_lists_up_to_its_limit_and_says_more(crowded_pacs, tmp_path, monkeypatch,
                                                           qtbot, window):
    from neuroview.ui import pacs_dialog

    port, sent = crowded_pacs
    monkeypatch.setattr(pacs_dialog, "MAX_STUDIES", 25)
    sent["studies"] = 0
    dialog = search_in_dialog(window, qtbot, _config(port), tmp_path / "home", monkeypatch)
    qtbot.waitUntil(lambda: "series" in dialog.status.text(), timeout=30000)
    assert dialog.status.text() == ("1 patient, 25 studies, 25 series; the archive returned 25 "
                                    "studies, the most asked for; narrow the search")
    assert dialog.tree.topLevelItem(0).childCount() == 25
    assert sent["studies"] < STUDIES


def test_the_limit_said_counts_the_archives_answers_not_those_listed(crowded_pacs, tmp_path,
                                                                     monkeypatch, qtbot, window):
    """The limit counts the archive's answers, before neuroview's description filter keeps every
    other one: 13 of 25 are listed, and the line says the archive returned 25 (it said 'the first
    13 are listed', as if the archive had more than those 13 only)."""
    from PySide6.QtCore import Qt

    from neuroview.io.pacs import save_server
    from neuroview.ui import pacs_dialog

    port, _sent = crowded_pacs
    monkeypatch.setattr(pacs_dialog, "MAX_STUDIES", 25)
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(_config(port))
    window.pacs_actions.open_dialog()
    dialog = window.pacs_actions.dialog
    qtbot.keyClicks(dialog.fields["StudyDescription"], "*brain*")
    qtbot.keyClick(dialog.fields["StudyDescription"], Qt.Key_Return)
    qtbot.waitUntil(lambda: "series" in dialog.status.text(), timeout=30000)
    assert dialog.status.text() == ("1 patient, 13 studies, 13 series; the archive returned 25 "
                                    "studies, the most asked for; narrow the search")
    assert dialog.tree.topLevelItem(0).childCount() == 13


class CrowdedWeb(http.server.BaseHTTPRequestHandler):
    """A DICOMweb server answering every QIDO-RS search with STUDIES studies, whatever its limit."""

    def do_GET(self):  # noqa: N802 - http.server's name
        send(self, json.dumps([{"0020000D": {"vr": "UI", "Value": [f"1.2.826.0.1.3680043.2.1125.91.{n}"]},
                                "00100020": {"vr": "LO", "Value": ["P1"]}} for n in range(STUDIES)]).encode(),
             "application/dicom+json")

    def log_message(self, *args):
        pass


def test_a_qido_rs_search_is_cut_at_its_limit_too(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    with serving(CrowdedWeb) as url:
        save_server(ServerConfig(name="crowdweb", url=url, timeout=20))
        assert main(["pacs", "find", "--server", "crowdweb", "--limit", "30"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 31
    assert lines[-1] == ("30 matches; crowdweb returned 30, the most asked for (--limit): narrow "
                         "the search")
