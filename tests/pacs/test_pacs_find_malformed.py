"""A C-FIND whose answers lack fields or carry malformed ones (a study without StudyInstanceUID,
a series without SeriesInstanceUID, an image count of "many", a date of "2026", a name of 64k
characters) lists what can be opened in Open from PACS and says what was left out. The search
failed as "KeyError: 'StudyInstanceUID'" (a study), and a series without UID or a count not a
number raised in the window's thread while listing."""

from __future__ import annotations

import pytest
from fake_qr import start_qr_scp
from pacs_window import shown_window
from pydicom import config as pydicom_config
from pydicom.dataset import Dataset
from PySide6.QtCore import Qt

from neuroview.io.pacs import ServerConfig, save_server

STUDY = "1.2.826.0.1.3680043.2.1125.95"


@pytest.fixture
def sloppy_pacs(monkeypatch):
    """Two studies, one without StudyInstanceUID; the other's series: one honest but for its count
    ("many") and date ("2026"), one without SeriesInstanceUID."""
    monkeypatch.setattr(pydicom_config.settings, "writing_validation_mode", pydicom_config.IGNORE)

    def on_find(event):
        level = str(event.identifier.QueryRetrieveLevel)
        for number in range(2):
            answer = Dataset()
            answer.QueryRetrieveLevel = level
            answer.PatientName, answer.PatientID = "Sloppy^" + "x" * 65000, "P1"
            answer.StudyDate = "2026"
            if level == "STUDY" and number == 0:
                answer.StudyInstanceUID = STUDY
            if level == "SERIES":
                answer.StudyInstanceUID = STUDY
                answer.add_new(0x00201209, "LO", "many")  # IS, but no number: sent as text
                if number == 0:
                    answer.SeriesInstanceUID = STUDY + ".1"
                    answer.SeriesNumber = "3"
            yield 0xFF00, answer

    server, port = start_qr_scp("SLOPPYPACS", on_find, None, None)
    yield port
    server.shutdown()


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_answers_without_uids_are_left_out_and_said(sloppy_pacs, tmp_path, monkeypatch, qtbot, window):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(ServerConfig(name="sloppy", host="127.0.0.1", port=sloppy_pacs,
                             called_aet="SLOPPYPACS", calling_aet="NEUROVIEW", timeout=20))
    window.pacs_actions.open_dialog()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.search_button.isEnabled(), timeout=30000)
    assert dialog.status.text() == ("1 patient, 1 study, 1 series; the server's answers left out: "
                                    "1 study without StudyInstanceUID, 1 series without SeriesInstanceUID")
    study = dialog.tree.topLevelItem(0).child(0)
    assert study.text(1) == "2026" and study.text(3) == "1 series, 0 images"
    series = study.child(0)
    assert series.data(0, Qt.UserRole) == (STUDY, STUDY + ".1") and series.text(3) == "many"
