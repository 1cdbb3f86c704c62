"""A server that offers Patient Root query/retrieve and no Study Root (some older archives) was
reported as store-only ('it offers no search'), and neither searched nor retrieved from. Now it is
searched down DICOM's hierarchy (the patients, then each one's studies with its PatientID) and a
series retrieved naming its PatientID, against a pynetdicom SCP that offers Patient Root only and
refuses, as the standard lets it, a study or series query without the patient's ID."""

from __future__ import annotations

import fnmatch

import pydicom
import pytest
from fake_qr import free_port
from pydicom.dataset import Dataset

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, echo, find, retrieve


@pytest.fixture(scope="module")
def patient_root_pacs(small_series):
    """The SCP holding ``small_series``; yields (config, asked): each C-FIND's level and PatientID."""
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
        yield 0xFF00, answer

    def on_get(event):
        ask = event.identifier
        if str(ask.get("PatientID", "") or "") != str(first.PatientID):
            yield 0xA900, None
            return
        yield len(files)
        for ds in files:
            yield 0xFF00, ds

    ae = AE(ae_title="PATROOT")
    ae.add_supported_context(sop_class.Verification)
    ae.add_supported_context(sop_class.PatientRootQueryRetrieveInformationModelFind)
    ae.add_supported_context(sop_class.PatientRootQueryRetrieveInformationModelGet)
    ae.add_supported_context(sop_class.MRImageStorage, ALL_TRANSFER_SYNTAXES, scu_role=True, scp_role=True)
    port = free_port()
    server = ae.start_server(("127.0.0.1", port), block=False, evt_handlers=[
        (evt.EVT_C_FIND, on_find), (evt.EVT_C_GET, on_get)])
    yield ServerConfig(name="old", host="127.0.0.1", port=port, called_aet="PATROOT",
                       calling_aet="NEUROVIEW", timeout=20), asked
    server.shutdown()


def test_a_patient_root_server_is_searched_and_retrieved_from(patient_root_pacs, small_series, tmp_path):
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

    folder = retrieve(config, str(first.StudyInstanceUID), str(first.SeriesInstanceUID),
                      SeriesCache(tmp_path / "cache"))
    got = sorted(str(pydicom.dcmread(f).SOPInstanceUID) for f in folder.glob("*.dcm"))
    assert got == sorted(str(pydicom.dcmread(f).SOPInstanceUID) for f in small_series.files)


def test_a_study_never_searched_is_said_in_one_line(patient_root_pacs, tmp_path):
    config, _asked = patient_root_pacs
    with pytest.raises(PacsError) as unknown:
        retrieve(config, "1.2.826.0.1.3680043.2.1125.93", "1.2.826.0.1.3680043.2.1125.93.1",
                 SeriesCache(tmp_path / "cache"))
    assert str(unknown.value) == (
        f"old (PATROOT@127.0.0.1:{config.port}) offers Patient Root query/retrieve only, which needs "
        "the patient of study 1.2.826.0.1.3680043.2.1125.93, and does not say it for the study's UID "
        "alone: search for the study first (by patient name or ID)")
