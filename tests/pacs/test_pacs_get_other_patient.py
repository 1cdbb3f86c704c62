"""A server whose files disagree with its own index (mis-configured, or hostile) answers a C-GET
or WADO-RS of the right study and series UIDs with an image of another patient: its query says
the study is NV-TEST-0001's, one stored file says NV-TEST-0666. The image was cached with the rest
and opened as that patient's. Now the retrieval is refused in one line that names the series (not
the patient), and nothing of it stays in the cache."""

from __future__ import annotations

import logging

import pydicom
import pytest
from orthanc_server import server_config
from pacs_series import uids

from neuroview.io.pacs import PacsError, SeriesCache, retrieve, store


def _stored_file(server, instance_id: str):
    """Where Orthanc keeps an instance's DICOM file (its storage: uuid[0:2]/uuid[2:4]/uuid)."""
    uuid = server.rest(f"/instances/{instance_id}/attachments/dicom/info")["Uuid"]
    return server.root / "storage" / uuid[:2] / uuid[2:4] / uuid


@pytest.fixture(scope="module")
def lying_orthanc(orthanc_factory, small_series):
    """An Orthanc holding the small series, one of whose stored files names another PatientID than
    Orthanc's index (as its query answers) says. Its storage cache is off, so it serves the file
    as it is on disk."""
    server = orthanc_factory(MaximumStorageCacheSize=0)
    store(server_config(server), [small_series.folder], protocol="dimse")
    stored = _stored_file(server, server.rest("/instances")[3])
    ds = pydicom.dcmread(stored)
    assert str(ds.PatientID) == "NV-TEST-0001"
    ds.PatientID = "NV-TEST-0666"
    ds.save_as(stored)
    return server


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_an_image_of_another_patient_refuses_the_series(lying_orthanc, small_series, tmp_path, protocol,
                                                       caplog):
    config = server_config(lying_orthanc)
    study_uid, series_uid = uids(small_series)
    cache = SeriesCache(tmp_path / "cache")
    with caplog.at_level(logging.DEBUG), pytest.raises(PacsError) as refused:
        retrieve(config, study_uid, series_uid, cache, protocol=protocol)
    said = str(refused.value)
    assert "\n" not in said and said.startswith("test")
    assert f"series {series_uid}" in said and "another patient" in said and "PatientID" in said
    assert said.endswith("nothing was kept (the server's index and its files disagree on the patient: "
                         "its administrator can check the study)")
    for private in ("NV-TEST-0666", "NV-TEST-0001", "Doe"):   # the patient is not named
        assert private not in said and private not in caplog.text
    assert cache.lookup(series_uid) is None
    assert list(cache.root.iterdir()) == []   # not even a partial folder


def test_a_study_listed_under_two_patients_is_not_retrieved(tmp_path):
    """A server whose study query answers two PatientIDs for one study UID: nothing is retrieved."""
    from fake_qr import start_qr_scp
    from pydicom.dataset import Dataset

    from neuroview.io.pacs import ServerConfig

    study, series = "1.2.826.0.1.3680043.2.1125.91", "1.2.826.0.1.3680043.2.1125.92"
    asked = []

    def on_find(event):
        level = str(event.identifier.QueryRetrieveLevel)
        for patient in ("P-ONE", "P-TWO") if level == "STUDY" else ("P-ONE",):
            answer = Dataset()
            answer.QueryRetrieveLevel = level
            answer.StudyInstanceUID, answer.PatientID, answer.PatientName = study, patient, "Twin^Name"
            if level == "SERIES":
                answer.SeriesInstanceUID, answer.NumberOfSeriesRelatedInstances = series, 1
            yield 0xFF00, answer

    def on_get(event):
        asked.append(1)
        yield 0

    server, port = start_qr_scp("TWINPACS", on_find, on_get, None)
    cache = SeriesCache(tmp_path / "cache")
    try:
        with pytest.raises(PacsError) as refused:
            retrieve(ServerConfig(name="twin", host="127.0.0.1", port=port, called_aet="TWINPACS",
                                  calling_aet="NEUROVIEW", timeout=20), study, series, cache,
                     protocol="dimse")
    finally:
        server.shutdown()
    said = str(refused.value)
    assert said.endswith(f"series {series} not retrieved: its query lists the study under 2 patients")
    assert "P-ONE" not in said and "Twin" not in said
    assert asked == [] and list(cache.root.iterdir()) == []
