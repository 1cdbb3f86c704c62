"""A server that offers Patient Root query/retrieve and no Study Root (some older archives) was
reported as store-only ('it offers no search'), and neither searched nor retrieved from. Now it is
searched down DICOM's hierarchy (the patients, then each one's studies with its PatientID) and a
series retrieved naming its PatientID, against a pynetdicom SCP that offers Patient Root only and
refuses, as the standard lets it, a study or series query without the patient's ID."""

from __future__ import annotations

import dataclasses
import fnmatch

import pydicom
import pytest
from fake_qr import free_port
from pydicom.dataset import Dataset

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, echo, find, retrieve

MOVE_PORT = free_port()
"""Where our storage SCP listens for a C-MOVE's images."""


@pytest.fixture(scope="module")
def patient_root_pacs(small_series):
    """The SCP holding ``small_series``; yields (config, asked): each C-FIND's level and PatientID
    (a C-MOVE's: ``("MOVE", PatientID)``; it sends to ``MOVE_PORT``)."""
    from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, evt, sop_class

    files = [pydicom.dcmread(f) for f in small_series.files]
    first = files[0]
    asked: list[tuple[str, str]] = []

    def on_find(event):
        ask = event.identifier
        level, patient = str(ask.QueryRetrieveLevel), str(ask.get("PatientID", "") or "")
        asked.append((level, patient))
        if level != "PATIENT" and not patient:
            yield 0xA900, None   # identifier does not match the SOP class: no patient named
            return
        wanted = str(ask.get("PatientName", "") or "*").casefold()
        if not fnmatch.fnmatch(str(first.PatientName).casefold(), wanted):
            return
        if patient and patient != str(first.PatientID):
            return
        if level == "SERIES" and str(ask.StudyInstanceUID) != str(first.StudyInstanceUID):
            return
        answer = Dataset()
        answer.QueryRetrieveLevel = level
        answer.PatientID = first.PatientID
        if level == "PATIENT":
            answer.PatientName = first.PatientName
        if level in ("STUDY", "SERIES"):
            answer.StudyInstanceUID, answer.StudyDate = first.StudyInstanceUID, first.StudyDate
        if level == "SERIES":
            answer.SeriesInstanceUID, answer.Modality = first.SeriesInstanceUID, first.Modality
            answer.NumberOfSeriesRelatedInstances = len(files)
        if level == "IMAGE":   # (the C-MOVE check's image)
            answer.SeriesInstanceUID, answer.SOPInstanceUID = first.SeriesInstanceUID, first.SOPInstanceUID
        yield 0xFF00, answer

    def on_get(event):
        ask = event.identifier
        if str(ask.get("PatientID", "") or "") != str(first.PatientID):
            yield 0xA900, None
            return
        yield len(files)
        for ds in files:
            yield 0xFF00, ds

    def on_move(event):
        ask = event.identifier
        asked.append(("MOVE", str(ask.get("PatientID", "") or "")))
        yield "127.0.0.1", MOVE_PORT
        wanted = [ds for ds in files if str(ask.get("PatientID", "")) == str(ds.PatientID)
                  and str(ask.get("SOPInstanceUID", "") or ds.SOPInstanceUID) == str(ds.SOPInstanceUID)]
        yield len(wanted)
        for ds in wanted:
            yield 0xFF00, ds

    ae = AE(ae_title="PATROOT")
    ae.add_supported_context(sop_class.Verification)
    ae.add_supported_context(sop_class.PatientRootQueryRetrieveInformationModelFind)
    ae.add_supported_context(sop_class.PatientRootQueryRetrieveInformationModelGet)
    ae.add_supported_context(sop_class.PatientRootQueryRetrieveInformationModelMove)
    ae.add_requested_context(sop_class.MRImageStorage)
    ae.add_supported_context(sop_class.MRImageStorage, ALL_TRANSFER_SYNTAXES, scu_role=True, scp_role=True)
    port = free_port()
    server = ae.start_server(("127.0.0.1", port), block=False, evt_handlers=[
        (evt.EVT_C_FIND, on_find), (evt.EVT_C_GET, on_get), (evt.EVT_C_MOVE, on_move)])
    yield ServerConfig(name="old", host="127.0.0.1", port=port, called_aet="PATROOT",
                       calling_aet="NEUROVIEW", timeout=20), asked
    server.shutdown()


def test_a_patient_root_server_is_searched(patient_root_pacs, small_series):
    config, asked = patient_root_pacs
    assert echo(config) == ["DIMSE, Patient Root query/retrieve"]
    first = pydicom.dcmread(small_series.files[0])

    asked.clear()
    studies = find(config, "STUDY", PatientName="Doe Jane")
    assert [(s["PatientName"], s["StudyInstanceUID"]) for s in studies] == [
        ("Doe^Jane", str(first.StudyInstanceUID))]
    # Doe*: the patients, then her studies by her ID; Jane*: no patient
    assert asked == [("PATIENT", ""), ("STUDY", "NV-TEST-0001"), ("PATIENT", "")]
    series = find(config, "SERIES", StudyInstanceUID=studies[0]["StudyInstanceUID"])
    assert [s["SeriesInstanceUID"] for s in series] == [str(first.SeriesInstanceUID)]
    # its retrieval: in the window, below


def test_a_study_never_searched_is_said_in_one_line(patient_root_pacs, tmp_path):
    config, _asked = patient_root_pacs
    with pytest.raises(PacsError) as unknown:
        retrieve(config, "1.2.826.0.1.3680043.2.1125.93", "1.2.826.0.1.3680043.2.1125.93.1",
                 SeriesCache(tmp_path / "cache"))
    assert str(unknown.value) == (
        f"old (PATROOT@127.0.0.1:{config.port}) offers Patient Root query/retrieve only, which needs "
        "the patient of study 1.2.826.0.1.3680043.2.1125.93, and does not say it for the study's UID "
        "alone: search for the study first (by patient name or ID)")


def test_a_study_searched_by_its_uid_is_asked_of_its_patient_only(patient_root_pacs, small_series):
    """A study by its UID (a worklist's, the series of a study found) asks for its patient, not
    every patient's studies."""
    config, asked = patient_root_pacs
    uid = str(pydicom.dcmread(small_series.files[0]).StudyInstanceUID)
    find(config, "STUDY", PatientID="NV-TEST-0001")   # found once: its patient is known
    asked.clear()
    assert [s["StudyInstanceUID"] for s in find(config, "STUDY", StudyInstanceUID=uid)] == [uid]
    assert asked == [("STUDY", "NV-TEST-0001")]


@pytest.fixture
def window(qtbot):
    from pacs_window import shown_window

    yield from shown_window(qtbot)


def test_open_from_a_patient_root_server_in_the_window(patient_root_pacs, small_series, tmp_path,
                                                       monkeypatch, qtbot, window):
    """File > Open from PACS...: the name typed, Search, the series clicked, Retrieve and open: the
    series on screen has the voxels of the files the server holds."""
    import numpy as np
    from pacs_window import open_series, search_in_dialog
    from PySide6.QtCore import Qt

    from neuroview.io import load

    config, _asked = patient_root_pacs
    dialog = search_in_dialog(window, qtbot, config, tmp_path / "home", monkeypatch)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    dialog.fields["PatientName"].clear()
    qtbot.keyClicks(dialog.fields["PatientName"], "jane doe")
    qtbot.keyClick(dialog.fields["PatientName"], Qt.Key_Return)
    qtbot.waitUntil(lambda: dialog.status.text().endswith("series"), timeout=20000)
    assert dialog.status.text() == "1 patient, 1 study, 1 series"
    open_series(qtbot, dialog)
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=60000)
    assert np.array_equal(np.asarray(window.controller.volume.array),
                          np.asarray(load(small_series.folder).array))


def test_c_move_from_a_patient_root_server(patient_root_pacs, small_series, tmp_path):
    """Test connection's check of the C-MOVE return path, and a retrieval by C-MOVE, name the
    patient as Patient Root asks (the check said the server offered no Study Root C-MOVE)."""
    config, asked = patient_root_pacs
    moving = dataclasses.replace(config, move_port=MOVE_PORT)
    assert echo(moving) == [f"DIMSE, Patient Root query/retrieve with C-MOVE to NEUROVIEW on port "
                            f"{MOVE_PORT}"]
    first = pydicom.dcmread(small_series.files[0])
    find(config, "STUDY", PatientName="doe")   # found: its patient is known
    asked.clear()
    folder = retrieve(moving, str(first.StudyInstanceUID), str(first.SeriesInstanceUID),
                      SeriesCache(tmp_path / "cache"))
    assert len(list(folder.glob("*.dcm"))) == len(small_series.files)
    assert ("MOVE", "NV-TEST-0001") in asked
