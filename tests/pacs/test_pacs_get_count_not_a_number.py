"""A server whose series answer counts its images in words ("many", a path: an IS holding no
number, as a hostile or broken server sends it) is retrieved from all the same, the count taken as
none said: the retrieval ended in an internal ValueError (invalid literal for int() with base 10:
'many'), found by bench/mutate_readers.py --only pacs_get (seed 50, case 23)."""

from __future__ import annotations

import pydicom
import pytest
from fake_qr import start_qr_scp
from pydicom import config as pydicom_config
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset

from neuroview.io.pacs import SeriesCache, ServerConfig, retrieve

STUDY = "1.2.826.0.1.3680043.2.1125.501"
SERIES = STUDY + ".1"


@pytest.mark.parametrize("count", ["many", "../../x"])
def test_a_count_in_words_still_retrieves_the_series(count, tmp_path, monkeypatch):
    monkeypatch.setattr(pydicom_config.settings, "writing_validation_mode", pydicom_config.IGNORE)
    image = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    image.StudyInstanceUID, image.SeriesInstanceUID, image.SOPInstanceUID = STUDY, SERIES, SERIES + ".1"

    def on_find(event):
        answer = Dataset()
        answer.QueryRetrieveLevel = str(event.identifier.QueryRetrieveLevel)
        answer.StudyInstanceUID, answer.SeriesInstanceUID = STUDY, SERIES
        answer.PatientName, answer.PatientID = image.PatientName, image.PatientID
        answer.add_new(0x00201209, "LO", count)   # IS, but no number: sent as text
        yield 0xFF00, answer

    def on_get(event):
        yield 1
        yield 0xFF00, image

    server, port = start_qr_scp("WORDSPACS", on_find, on_get, None)
    try:
        folder = retrieve(ServerConfig(name="words", host="127.0.0.1", port=port, called_aet="WORDSPACS",
                                       calling_aet="NEUROVIEW", timeout=20), STUDY, SERIES,
                          SeriesCache(tmp_path / "cache"), protocol="dimse")
    finally:
        server.shutdown()
    assert [pydicom.dcmread(p, force=True).SOPInstanceUID for p in folder.glob("*.dcm")] == [SERIES + ".1"]
    assert folder.parent == tmp_path / "cache"
