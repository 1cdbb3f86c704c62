"""A retry asks a DIMSE server for the images it lacks by their SOPInstanceUIDs (an image-level
C-GET naming them); a server that refuses such a list must not leave every later retry failing
the same way: the retry keeps nothing and says so, and the next one asks for the series whole.
A pynetdicom server of the test's own (Orthanc takes the list)."""

from __future__ import annotations

import pydicom
import pytest
from fake_qr import start_qr_scp
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset

from neuroview.core.errors import Cancelled
from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, retrieve

STUDY, SERIES = "1.2.826.0.1.3680043.2.1125.91", "1.2.826.0.1.3680043.2.1125.92"


def _instance(number: int) -> Dataset:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.StudyInstanceUID, ds.SeriesInstanceUID = STUDY, SERIES
    ds.SOPInstanceUID = f"{SERIES}.{number}"
    return ds


def test_a_server_refusing_images_by_uid_gets_the_series_asked_whole(tmp_path):
    images = [_instance(number) for number in (1, 2, 3)]
    asked = []

    def on_find(event):
        level = str(event.identifier.QueryRetrieveLevel)
        for ds in images[:1] if level != "IMAGE" else images:
            answer = Dataset()
            answer.QueryRetrieveLevel = level
            answer.StudyInstanceUID, answer.SeriesInstanceUID = STUDY, SERIES
            answer.PatientID = ds.PatientID
            answer.NumberOfSeriesRelatedInstances = len(images)
            if level == "IMAGE":
                answer.SOPInstanceUID = ds.SOPInstanceUID
            yield 0xFF00, answer

    def on_get(event):
        asked.append(str(event.identifier.QueryRetrieveLevel))
        if asked[-1] == "IMAGE":   # no list of UIDs here
            yield 2
            yield 0xA900, None
            return
        yield len(images)
        for ds in images:
            yield 0xFF00, ds

    server, port = start_qr_scp("ONEPACS", on_find, on_get, lambda event: iter(()))
    try:
        config = ServerConfig(name="one", host="127.0.0.1", port=port, called_aet="ONEPACS",
                              calling_aet="NEUROVIEW", timeout=20)
        cache = SeriesCache(tmp_path / "cache")
        stop = []
        with pytest.raises(Cancelled):
            retrieve(config, STUDY, SERIES, cache, progress=lambda done, *_: stop.append(done),
                     cancel=lambda: bool(stop))
        assert cache.kept(SERIES) == 1
        with pytest.raises(PacsError) as refused:
            retrieve(config, STUDY, SERIES, cache)
        assert str(refused.value) == (
            f"one (ONEPACS@127.0.0.1:{port}) did not send the images missing from an earlier try, asked "
            "for by their SOPInstanceUIDs (status 0xA900); nothing was kept, try again: the series is "
            "asked for whole")
        assert list(cache.root.iterdir()) == []
        folder = retrieve(config, STUDY, SERIES, cache)
        assert sorted(p.name for p in folder.glob("*.dcm")) == [f"{SERIES}.{n}.dcm" for n in (1, 2, 3)]
        assert asked == ["SERIES", "IMAGE", "SERIES"]
    finally:
        server.shutdown()
