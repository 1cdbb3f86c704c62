"""A server whose C-STORE request carries no SOPInstanceUID (an image sent with an empty one, by a
hostile or broken server) ends pynetdicom's reactor thread with an AttributeError, which Python
printed on the terminal as a 23-line traceback above the retrieval's one line (found by
bench/mutate_readers.py --only pacs_get, seed 53, cases 60 and 64). The traceback is now logged
in one line naming its type; the retrieval still ends in its one line, the images received kept."""

from __future__ import annotations

import logging
import threading

import pydicom
import pytest
from fake_qr import start_qr_scp
from pydicom import config as pydicom_config
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, reactor_errors, retrieve

STUDY = "1.2.826.0.1.3680043.2.1125.502"
SERIES = STUDY + ".1"


def test_a_store_without_its_instance_uid_prints_no_traceback(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(pydicom_config.settings, "writing_validation_mode", pydicom_config.IGNORE)
    printed = []   # what Python's thread hook would print on the terminal
    monkeypatch.setattr(threading, "excepthook", lambda args: printed.append(args.exc_type.__name__))
    monkeypatch.setattr(reactor_errors, "_installed", [])   # installed again over this test's hook
    images = []
    for number in (1, 2):
        image = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
        image.StudyInstanceUID, image.SeriesInstanceUID = STUDY, SERIES
        image.SOPInstanceUID = f"{SERIES}.{number}" if number == 1 else ""
        images.append(image)

    def on_find(event):
        answer = Dataset()
        answer.QueryRetrieveLevel = str(event.identifier.QueryRetrieveLevel)
        answer.StudyInstanceUID, answer.SeriesInstanceUID = STUDY, SERIES
        answer.PatientName, answer.PatientID = images[0].PatientName, images[0].PatientID
        answer.NumberOfSeriesRelatedInstances = 2
        yield 0xFF00, answer

    def on_get(event):
        yield 2
        for image in images:
            yield 0xFF00, image

    server, port = start_qr_scp("EMPTYPACS", on_find, on_get, None)
    caplog.set_level(logging.INFO)
    try:
        with pytest.raises(PacsError) as refused:
            retrieve(ServerConfig(name="empty", host="127.0.0.1", port=port, called_aet="EMPTYPACS",
                                  calling_aet="NEUROVIEW", timeout=2), STUDY, SERIES,
                     SeriesCache(tmp_path / "cache"), protocol="dimse")
    finally:
        server.shutdown()
    assert str(refused.value).startswith("empty (EMPTYPACS@127.0.0.1:")
    assert "\n" not in str(refused.value)
    assert printed == []
    assert ("a DICOM message from the server could not be read (AttributeError); its association is "
            "given up") in caplog.messages
