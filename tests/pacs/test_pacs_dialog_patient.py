"""*File > Open from PACS...* with a DICOM image on screen offers its patient: the Patient ID field
holds the image's PatientID, so one click on Search lists that patient's studies (their priors);
the user can clear it, and it stays cleared until another patient is shown. The follow-up
dialog's *PACS...* offers the same. Until session 44 the fields were empty: the ID had to be read
off the image's header and typed. The ID never reaches the log."""

from __future__ import annotations

import logging

import pytest
from orthanc_server import server_config
from pacs_window import menu_action, shown_window
from PySide6.QtCore import Qt

from neuroview.io.pacs import save_server, store

window = pytest.fixture(shown_window, name="window")


def _show(qtbot, window, folder) -> None:
    before = window.controller.volume
    window.open_paths([str(folder)])
    qtbot.waitUntil(lambda: window.controller.volume is not before and not window.runner.busy,
                    timeout=30000)


def _open_dialog(qtbot, window):
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def _search(qtbot, dialog) -> list[str]:
    dialog.status.clear()
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.search_button.isEnabled()
                    and not dialog.status.text().startswith("Searching"), timeout=20000)
    return [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]


def test_the_shown_patient_is_offered(empty_orthanc, small_series, other_study, tmp_path, monkeypatch,
                                      qtbot, window, caplog):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    store(server_config(empty_orthanc), [small_series.folder, other_study.folder])
    caplog.set_level(logging.DEBUG)
    _show(qtbot, window, small_series.folder)
    dialog = _open_dialog(qtbot, window)
    patient_id = dialog.fields["PatientID"]
    assert patient_id.text() == "NV-TEST-0001"
    assert _search(qtbot, dialog) == ["Doe Jane  [NV-TEST-0001]"]   # one click: this patient's studies

    patient_id.selectAll()   # the user clears it: every patient
    qtbot.keyClick(patient_id, Qt.Key_Delete)
    assert _search(qtbot, dialog) == ["Doe Jane  [NV-TEST-0001]", "Roe Max  [NV-TEST-0002]"]
    dialog.reject()
    dialog = _open_dialog(qtbot, window)   # the same image: cleared it stays
    assert dialog.fields["PatientID"].text() == ""

    dialog.reject()
    _show(qtbot, window, other_study.folder)   # another patient shown: offered
    dialog = _open_dialog(qtbot, window)
    assert dialog.fields["PatientID"].text() == "NV-TEST-0002"
    assert _search(qtbot, dialog) == ["Roe Max  [NV-TEST-0002]"]
    qtbot.keyClicks(dialog.fields["PatientID"], "9")   # one the user typed is kept
    dialog.reject()
    _show(qtbot, window, small_series.folder)
    assert _open_dialog(qtbot, window).fields["PatientID"].text() == "NV-TEST-00029"
    window.pacs_actions.dialog.reject()

    # the follow-up dialog's PACS... (a series to compare chosen on the server) offers it too
    from neuroview.ui.pacs_dialog import PacsDialog

    picker = PacsDialog(window, pick=True)
    assert picker.fields["PatientID"].text() == "NV-TEST-0001"
    picker.deleteLater()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "NV-TEST-000" not in logged
