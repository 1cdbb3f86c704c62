"""A server that answers a C-GET or C-MOVE of one series with the images of another series (of
another patient) must not have them cached as the series asked for: they were kept under the asked
series' UID and opened as it. One line names the server and the problem; nothing is kept, and no
patient name is in it. The honest series of the same server is still received."""

from __future__ import annotations

import http.server
import io
import json

import pydicom
import pytest
from fake_qr import free_port, start_qr_scp
from fake_web import send, serving
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, retrieve

STUDY = "1.2.826.0.1.3680043.2.1125.81"
ASKED, OTHER = "1.2.826.0.1.3680043.2.1125.82", "1.2.826.0.1.3680043.2.1125.83"
EMPTY = "1.2.826.0.1.3680043.2.1125.84"
"""A series the C-FIND counts 2 images of, whose retrieval reports success and sends none."""


def _instance(series_uid: str, number: int, patient: str) -> Dataset:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.StudyInstanceUID, ds.SeriesInstanceUID = STUDY, series_uid
    ds.SOPInstanceUID = f"{series_uid}.{number}"
    ds.PatientName = patient
    return ds


def _refused(message: str, server: str, cache: SeriesCache, logged: str) -> None:
    """One line naming ``server``, no patient name said or logged, nothing in the cache."""
    assert message.startswith(server) and "\n" not in message
    assert "another series" in message and "nothing was kept" in message
    assert "Stranger" not in message and "Stranger" not in logged
    assert cache.lookup(ASKED) is None
    assert [p.name for p in cache.root.iterdir() if not p.name.startswith(".")] == []


def _config(port: int, moves: dict, how: str) -> ServerConfig:
    """The server's config, retrieving by ``how`` (C-MOVE to a fresh port, or C-GET)."""
    moves["port"] = free_port() if how == "move" else 0
    return ServerConfig(name="wrong", host="127.0.0.1", port=port, called_aet="WRONGPACS",
                        calling_aet="NEUROVIEW", timeout=20, move_port=moves["port"])


@pytest.fixture(scope="module")
def wrong_pacs():
    """A Q/R SCP whose C-FIND finds series ASKED (2 images) but whose C-GET/C-MOVE of it sends two
    images of OTHER, another patient's; OTHER itself is sent honestly. Yields (port, moves)."""
    other = [_instance(OTHER, n, "Stranger^Other") for n in (1, 2)]
    sent = {ASKED: other, OTHER: other, EMPTY: []}
    moves = {}

    def on_find(event):
        answer = Dataset()
        answer.QueryRetrieveLevel = "SERIES"
        answer.StudyInstanceUID = STUDY
        answer.SeriesInstanceUID = str(event.identifier.SeriesInstanceUID)
        answer.NumberOfSeriesRelatedInstances = 2
        yield 0xFF00, answer

    def found(event) -> list:
        return sent.get(str(event.identifier.get("SeriesInstanceUID", "")), [])

    def on_get(event):
        yield len(found(event))
        for ds in found(event):
            yield 0xFF00, ds

    def on_move(event):
        yield "127.0.0.1", moves["port"]
        yield len(found(event))
        for ds in found(event):
            yield 0xFF00, ds

    server, port = start_qr_scp("WRONGPACS", on_find, on_get, on_move)
    yield port, moves
    server.shutdown()


@pytest.mark.parametrize("how", ["get", "move"])
def test_images_of_another_series_are_not_cached_as_the_asked_one(wrong_pacs, how, tmp_path, caplog):
    port, moves = wrong_pacs
    config = _config(port, moves, how)
    cache = SeriesCache(tmp_path / "cache")
    with pytest.raises(PacsError) as info:
        retrieve(config, STUDY, ASKED, cache, protocol="dimse")
    _refused(str(info.value), "wrong (WRONGPACS@127.0.0.1:", cache, caplog.text)

    folder = retrieve(config, STUDY, OTHER, cache, protocol="dimse")  # the honest one is kept
    assert sorted(str(pydicom.dcmread(f).SOPInstanceUID) for f in folder.glob("*.dcm")) == [
        f"{OTHER}.1", f"{OTHER}.2"]


class WrongInstances(http.server.BaseHTTPRequestHandler):
    """A DICOMweb server listing two instances of any series and answering each WADO-RS request
    with an instance of OTHER (another patient's)."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if "/instances/" not in self.path:
            body = json.dumps([{"00080018": {"vr": "UI", "Value": [f"{ASKED}.{n}"]}} for n in (1, 2)])
            send(self, body.encode(), "application/dicom+json")
            return
        number = int(self.path.rsplit(".", 1)[-1])
        out = io.BytesIO()
        _instance(OTHER, number, "Stranger^Other").save_as(out, enforce_file_format=True)
        send(self, b"--b\r\nContent-Type: application/dicom\r\n\r\n" + out.getvalue() + b"\r\n--b--\r\n",
             'multipart/related; type="application/dicom"; boundary=b')

    def log_message(self, *args):
        pass


def test_wado_rs_images_of_another_series_are_not_cached(tmp_path, caplog):
    cache = SeriesCache(tmp_path / "cache")
    with serving(WrongInstances) as url, pytest.raises(PacsError) as info:
        retrieve(ServerConfig(name="wrongweb", url=url, timeout=10), STUDY, ASKED, cache, protocol="web")
    _refused(str(info.value), "wrongweb (http://127.0.0.1:", cache, caplog.text)


@pytest.mark.parametrize("how", ["get", "move"])
def test_a_retrieval_done_with_nothing_sent_says_so(wrong_pacs, how, tmp_path):
    port, moves = wrong_pacs
    config = _config(port, moves, how)
    cache = SeriesCache(tmp_path / "cache")
    with pytest.raises(PacsError) as info:
        retrieve(config, STUDY, EMPTY, cache, protocol="dimse")
    hint = (f" (does it send to our AE title NEUROVIEW on port {moves['port']}? Test connection checks)"
            if how == "move" else "")
    assert str(info.value) == (f"wrong (WRONGPACS@127.0.0.1:{port}) reported the retrieval done but "
                               f"sent none of the 2 images its C-FIND counts{hint}; nothing was kept, "
                               "try again")
    assert cache.lookup(EMPTY) is None
