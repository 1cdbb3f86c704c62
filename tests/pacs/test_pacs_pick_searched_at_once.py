"""The follow-up dialog's *PACS...* with a DICOM image on screen lists its patient's studies at
once: the browser opens with the Patient ID filled in and searches by itself (off the GUI thread,
the status bar's Cancel stops it), and a second click on *PACS...* shows the same list without
asking the server again while the program runs. Each click opened a fresh browser whose *Search*
had to be clicked again until session 51. Against the tests' Orthanc."""

from __future__ import annotations

import threading

import pytest
from orthanc_server import server_config
from pacs_window import shown_window
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from neuroview.core.errors import Cancelled
from neuroview.io.pacs import save_server, store

window = pytest.fixture(shown_window, name="window")


def _shown(qtbot, window, folder) -> None:
    window.open_paths([str(folder)])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)


def _counted(monkeypatch) -> list:
    import neuroview.ui.pacs_dialog as pacs_dialog

    asked, real = [], pacs_dialog.search_studies

    def counted(config, query, *args, **kwargs):
        asked.append(dict(query))
        return real(config, query, *args, **kwargs)

    monkeypatch.setattr(pacs_dialog, "search_studies", counted)
    return asked


def test_pacs_in_open_follow_up_lists_the_patient_at_once(empty_orthanc, small_series, other_study,
                                                         tmp_path, monkeypatch, qtbot, window):
    from neuroview.ui.followup_open import OpenFollowupDialog

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    store(server_config(empty_orthanc), [small_series.folder, other_study.folder])
    _shown(qtbot, window, small_series.folder)
    asked = _counted(monkeypatch)
    followup = OpenFollowupDialog(window)
    seen = []

    def look_then_close():   # in the browser, shown modal: nothing clicked
        browser = QApplication.activeModalWidget()
        try:
            qtbot.waitUntil(lambda: browser.tree.topLevelItemCount() == 1, timeout=20000)
            seen.append((browser.tree.topLevelItem(0).text(0), browser.status.text()))
        finally:
            browser.reject()

    for clicks in range(2):
        QTimer.singleShot(0, look_then_close)
        qtbot.mouseClick(followup.pacs_buttons["followup"], Qt.LeftButton)
        assert len(seen) == 1 + clicks
    assert asked == [{"PatientID": "NV-TEST-0001"}]   # the second listed what the first found
    assert seen[0] == ("Doe Jane  [NV-TEST-0001]", "1 patient, 1 study, 1 series")
    assert seen[1] == ("Doe Jane  [NV-TEST-0001]",
                       "1 patient, 1 study, 1 series (listed before: Search asks again)")
    followup.deleteLater()


def test_closing_the_browser_mid_search_ends_it(empty_orthanc, small_series, tmp_path, monkeypatch,
                                                qtbot, window):
    import neuroview.ui.pacs_dialog as pacs_dialog
    from neuroview.ui.pacs_dialog import PacsDialog

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    _shown(qtbot, window, small_series.folder)
    started, pause = threading.Event(), threading.Event()

    def slow(config, query, cancel=None, progress=None):   # a server slow to answer
        started.set()
        while not cancel.cancelled:
            pause.wait(0.01)
        raise Cancelled("search cancelled")

    monkeypatch.setattr(pacs_dialog, "search_studies", slow)
    browser = PacsDialog(window, pick=True)
    qtbot.waitUntil(started.is_set, timeout=5000)
    browser.reject()
    browser.deleteLater()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=5000)   # the search ended with it
    assert window.pacs_listed == {}
