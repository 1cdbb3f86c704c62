"""File > Open from PACS...: search, the patient / study / series tree, retrieve and open (real Orthanc)."""

from __future__ import annotations

import numpy as np
import pytest
from orthanc_server import server_config
from pacs_series import uids as written_uids
from pacs_window import (
    box_mask,
    menu_action,
    open_series,
    opened_from_lab,
    save_to_pacs_as,
    sent_seg,
    shown_window,
    slowed_retrieval,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from neuroview.io import load
from neuroview.io.pacs import SeriesCache, save_server, store


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def _settings_action(window, text):
    """An action of the menu bar's Settings menu (the menu found by its title, as a user does)."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Settings")
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def _retrieve_in_window(qtbot, window, dialog, series_uid):
    """Click the series in the tree, then Retrieve and open; wait until it is on screen."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    iterator = QTreeWidgetItemIterator(dialog.tree)
    while iterator.value() is not None:
        item = iterator.value()
        if item.data(0, Qt.UserRole) and item.data(0, Qt.UserRole)[1] == series_uid:
            break
        iterator += 1
    rect = dialog.tree.visualItemRect(item)
    qtbot.mouseClick(dialog.tree.viewport(), Qt.LeftButton, pos=rect.center())
    before = window.controller.volume
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.controller.volume is not before and not window.runner.busy,
                    timeout=60000)


def test_open_from_pacs(empty_orthanc, small_series, tmp_path, monkeypatch, qtbot, window):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    store(server_config(empty_orthanc), [small_series.folder])
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.server_box.currentText() == "lab"
    qtbot.keyClicks(dialog.fields["PatientName"], "Nobody*")
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("0 patient"), timeout=20000)
    dialog.fields["PatientName"].clear()
    qtbot.keyClicks(dialog.fields["PatientName"], "doe*")
    qtbot.keyClicks(dialog.fields["ModalitiesInStudy"], "MR")
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
    patient = dialog.tree.topLevelItem(0)
    assert "NV-TEST-0001" in patient.text(0)
    series_item = patient.child(0).child(0)
    assert "FLAIR pacs test" in series_item.text(0) and series_item.text(3) == "12"
    assert not dialog.open_button.isEnabled()
    rect = dialog.tree.visualItemRect(series_item)
    qtbot.mouseClick(dialog.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert dialog.open_button.isEnabled()
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=60000)
    volume = window.controller.volume
    local = load(small_series.folder)  # the same series opened from disk
    assert np.array_equal(np.asarray(volume.array), np.asarray(local.array))
    assert np.allclose(volume.ijk_to_ras, local.ijk_to_ras)
    assert (tmp_path / "home" / "pacs-cache").is_dir()
    QApplication.processEvents()


def test_no_server_configured_says_how(tmp_path, monkeypatch, qtbot, window):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    assert not dialog.search_button.isEnabled()
    assert "neuroview pacs add" in dialog.status.text()


def test_save_to_pacs(empty_orthanc, small_series, tmp_path, monkeypatch, qtbot, window):
    import pydicom

    from neuroview.io.seg import load_seg

    config = opened_from_lab(window, qtbot, empty_orthanc, small_series, tmp_path / "home", monkeypatch)
    case = window.editor.case
    mask = box_mask(case.volume.shape)
    case.apply_model_result(mask, {1: "lesion"}, model="wmh-unet@3")
    assert case.modified
    save_to_pacs_as(qtbot, window, "Smith^Ann")
    assert window.message_bar.text == ""
    # saved on the server: quitting does not ask to save it (and the journal is compacted)
    assert not case.modified
    description, seg_file = sent_seg(config, small_series, tmp_path / "cache")
    assert description == "Lesions - Ann Smith's version (from model wmh-unet@3)"
    assert str(pydicom.dcmread(seg_file, stop_before_pixels=True).ContentCreatorName) == "Smith^Ann"
    assert np.array_equal(load_seg(seg_file, volume=case.volume).array > 0, mask > 0)
    assert (tmp_path / "home" / "pacs" / "reader.txt").read_text() == "Smith^Ann"  # remembered


def test_servers_dialog_test_connection_and_save(empty_orthanc, tmp_path, monkeypatch, qtbot, window):
    import os
    import stat

    from orthanc_server import CLIENT_AET, PASSWORD, SERVER_AET, USER

    from neuroview.io.pacs import load_servers

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    assert "DICOM servers..." not in [a.text().replace("&", "") for a in window.file_menu.actions()]
    _settings_action(window, "DICOM servers...").trigger()
    dialog = window.pacs_actions.servers_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    qtbot.keyClicks(dialog.name_edit, "lab")
    qtbot.keyClicks(dialog.host_edit, "127.0.0.1")
    dialog.port_box.setValue(empty_orthanc.dicom_port)
    dialog.aet_edit.clear()
    qtbot.keyClicks(dialog.aet_edit, "WRONGAET")
    dialog.calling_edit.clear()
    qtbot.keyClicks(dialog.calling_edit, CLIENT_AET)
    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "refused the association" in dialog.status.text(), timeout=20000)
    dialog.aet_edit.clear()
    qtbot.keyClicks(dialog.aet_edit, SERVER_AET)
    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("connection ok (DIMSE)"), timeout=20000)
    qtbot.keyClicks(dialog.url_edit, empty_orthanc.dicomweb_url)
    qtbot.keyClicks(dialog.user_edit, USER)
    # a wrong password is found by Test connection even though the server also has a DIMSE address
    qtbot.keyClicks(dialog.password_edit, "not-the-password")
    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=20000)
    assert "refused the credentials" in dialog.status.text()
    assert "not-the-password" not in dialog.status.text()
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=20000)
    assert dialog.status.text().startswith("connection ok (DIMSE and DICOMweb)")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert PASSWORD not in dialog.status.text()
    saved = load_servers()["lab"]
    assert (saved.called_aet, saved.port, saved.password) == (SERVER_AET, empty_orthanc.dicom_port, PASSWORD)
    credentials = tmp_path / "home" / "pacs" / "credentials.json"
    assert stat.S_IMODE(os.stat(credentials).st_mode) == 0o600
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["lab"]


def test_cancel_retrieval_from_the_status_bar(empty_orthanc, small_series, tmp_path, monkeypatch, qtbot,
                                              window):
    import neuroview.ui.pacs_dialog as pacs_dialog

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    store(server_config(empty_orthanc), [small_series.folder])
    real_retrieve = pacs_dialog.retrieve
    seen = slowed_retrieval(monkeypatch, 0.3)
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
    open_series(qtbot, dialog)
    qtbot.waitUntil(lambda: window.cancel_button.isVisible() and len(seen) >= 2, timeout=20000)
    qtbot.waitUntil(lambda: window.progress_text.text().startswith(
        "Retrieving series 3 FLAIR pacs test from lab: "), timeout=5000)   # which series: named
    assert window.progress_text.text().endswith(f" of {len(small_series.files)} images")
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    assert len(seen) < len(small_series.files)
    assert window.controller.volume is None
    cache = tmp_path / "home" / "pacs-cache"
    kept = SeriesCache(cache).kept(written_uids(small_series)[1])
    assert 2 <= kept < len(small_series.files)
    # nothing half-written: the images received kept for the retry (session 48: none were)
    assert [p.name for p in cache.iterdir()] == [f".kept-{written_uids(small_series)[1]}"]
    assert window.notice_bar.text == (f"Retrieval of series 3 FLAIR pacs test cancelled: the {kept} "
                                      "images received are kept for a retry, which fetches only the "
                                      "rest. File > Open from PACS... still has the search, to try "
                                      "again.")
    sent = []
    monkeypatch.setattr(pacs_dialog, "retrieve", lambda *args, progress, **kwargs: real_retrieve(
        *args, progress=lambda done, total, text: (text.startswith("checking") or sent.append(done))
        or progress(done, total, text), **kwargs))   # the transfer's counts, after the kept images' check
    # Open from PACS again: the same search and results, so the user retries with one click
    menu_action(window, "Open from PACS...").trigger()
    again = window.pacs_actions.dialog
    assert again.isVisible() and again.tree.topLevelItemCount() == 1
    open_series(qtbot, again)
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy, timeout=60000)
    assert window.controller.volume.shape[2] == len(small_series.files)
    assert sent[0] == kept and sent[-1] == len(small_series.files)  # the retry began at the images kept


def test_search_two_studies_as_a_user_types(empty_orthanc, small_series, other_study, tmp_path, monkeypatch,
                                            qtbot, window):
    """Date range typed with dashes, a description in lower case, modality; the tree's counts and
    dates read as people write them, and the status line in plain English."""
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    store(server_config(empty_orthanc), [small_series.folder, other_study.folder])
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)

    def search(**typed):
        for edit in dialog.fields.values():
            edit.clear()
        for keyword, text in typed.items():
            qtbot.keyClicks(dialog.fields[keyword], text)
        dialog.status.clear()
        qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: dialog.search_button.isEnabled()
                        and not dialog.status.text().startswith("Searching"), timeout=20000)
        return [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]

    assert search() == ["Doe Jane  [NV-TEST-0001]", "Roe Max  [NV-TEST-0002]"]
    assert dialog.status.text() == "2 patients, 2 studies, 2 series"
    assert search(StudyDate="2024-06-01 - 2024-12-31") == ["Roe Max  [NV-TEST-0002]"]
    assert dialog.status.text() == "1 patient, 1 study, 1 series"
    patient = dialog.tree.topLevelItem(0)
    study = patient.child(0)
    assert patient.text(3) == "1 study"
    assert [study.text(c) for c in range(4)] == ["Head CT", "2024-06-15", "CT", "1 series, 10 images"]
    assert study.child(0).text(3) == "10"
    assert search(StudyDescription="*head*") == ["Roe Max  [NV-TEST-0002]"]
    assert search(ModalitiesInStudy="MR") == ["Doe Jane  [NV-TEST-0001]"]
    assert search(PatientID="NV-TEST-0002") == ["Roe Max  [NV-TEST-0002]"]
    # the name as the tree shows it, or in another order: found nothing until session 44
    assert search(PatientName="Doe Jane") == ["Doe Jane  [NV-TEST-0001]"]
    assert search(PatientName="max, roe") == ["Roe Max  [NV-TEST-0002]"]
    assert search(StudyDate="last week") == []
    assert dialog.status.text().startswith("study date 'last week': write a day (2024-01-31)")
    # nothing clipped: the columns are as wide as their text
    metrics = dialog.tree.fontMetrics()
    search()
    for item in (dialog.tree.topLevelItem(0).child(0), dialog.tree.topLevelItem(1).child(0)):
        for column in range(1, 4):
            assert dialog.tree.columnWidth(column) >= metrics.horizontalAdvance(item.text(column))


def test_cache_size_set_in_settings_evicts_least_recently_used(empty_orthanc, mni_volume, tmp_path,
                                                                monkeypatch, qtbot, window):
    """Settings > PACS cache...: a bound of 0.002 GB, remembered; Open from PACS then keeps two
    series of 0.75 MB and, retrieving a third, deletes the one used longest ago (B: A was opened
    again after it), not the one retrieved first."""
    import pydicom
    from series_maker import SeriesSpec, write_series

    from neuroview.io.pacs.cache import cache_limit_gb

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    uids = {}
    for name in "ABC":  # 256 x 256 x 6 of 16 bits: 0.75 MB each
        series = write_series(tmp_path / name, mni_volume, SeriesSpec(
            rows=256, cols=256, n_slices=6, row_spacing=0.8, col_spacing=0.8, description=f"series {name}"))
        store(config, [series.folder])
        uids[name] = str(pydicom.dcmread(series.files[0], stop_before_pixels=True).SeriesInstanceUID)
    _settings_action(window, "PACS cache...").trigger()
    settings = window.pacs_actions.cache_dialog
    qtbot.waitUntil(settings.isVisible, timeout=5000)
    assert settings.size_box.value() == 20.0  # the default
    settings.size_box.lineEdit().selectAll()
    qtbot.keyClicks(settings.size_box.lineEdit(), "0.002")
    from PySide6.QtWidgets import QDialogButtonBox

    qtbot.mouseClick(settings.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not settings.isVisible()
    assert cache_limit_gb() == 0.002  # remembered (pacs/settings.json)
    assert (tmp_path / "home" / "pacs" / "settings.json").exists()

    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().endswith("3 series"), timeout=20000)
    cache = tmp_path / "home" / "pacs-cache"

    def cached():
        return {name for name, uid in uids.items() if (cache / uid).is_dir()}

    for name in ("A", "B", "A"):  # A is used again after B
        menu_action(window, "Open from PACS...").trigger()
        _retrieve_in_window(qtbot, window, dialog, uids[name])
    assert cached() == {"A", "B"}
    menu_action(window, "Open from PACS...").trigger()
    _retrieve_in_window(qtbot, window, dialog, uids["C"])
    assert cached() == {"A", "C"}
    assert window.controller.volume.shape[:3] == (256, 256, 6)
    QApplication.processEvents()


def test_test_connection_checks_the_c_move_return_path(orthanc_factory, small_series, tmp_path,
                                                       monkeypatch, qtbot, window):
    """With a C-MOVE port, Test connection asks the server to send one image back to our AE title
    on that port: ok with an Orthanc that knows our AE title at this address; with one that does
    not (its modalities empty, C-FIND and C-MOVE requests still allowed), it says the echo passed
    and the C-MOVE return path failed, and how to fix it."""
    from orthanc_server import CLIENT_AET, SERVER_AET

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    knows_us = orthanc_factory()
    stranger = orthanc_factory(DicomModalities={}, DicomAlwaysAllowFind=True, DicomAlwaysAllowMove=True)
    for server in (knows_us, stranger):
        store(server_config(server), [small_series.folder])
    _settings_action(window, "DICOM servers...").trigger()
    dialog = window.pacs_actions.servers_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    qtbot.keyClicks(dialog.name_edit, "archive")
    qtbot.keyClicks(dialog.host_edit, "127.0.0.1")
    dialog.aet_edit.clear()
    qtbot.keyClicks(dialog.aet_edit, SERVER_AET)
    dialog.calling_edit.clear()
    qtbot.keyClicks(dialog.calling_edit, CLIENT_AET)
    dialog.move_box.setValue(knows_us.client_port)  # where knows_us sends NVTEST's images
    for server, expected in ((knows_us, "connection ok (DIMSE with C-MOVE to NVTEST on port "
                                        f"{knows_us.client_port})"),
                             (stranger, "C-ECHO ok, but the C-MOVE return path failed")):
        dialog.port_box.setValue(server.dicom_port)
        qtbot.mouseClick(dialog.test_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=30000)
        assert dialog.status.text().startswith(expected), dialog.status.text()
    assert "did not connect back to NVTEST" in dialog.status.text()
    assert "knows our AE title NVTEST as a move destination" in dialog.status.text()
    # a server with no image to send: said, not passed off as checked
    knows_us.clear()
    dialog.port_box.setValue(knows_us.dicom_port)
    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=30000)
    assert "C-MOVE not checked: the server has no image to send" in dialog.status.text()
    # C-GET (no port): the echo alone, as before
    dialog.move_box.setValue(0)
    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=30000)
    assert dialog.status.text().startswith("connection ok (DIMSE)")
    assert not list(tmp_path.glob("home/pacs-cache/*/*.dcm"))  # the test image was not kept
