"""A hostile PACS answer (far too big, or a deflate bomb) is refused with one line naming the server
and the problem, before pydicom holds it; nothing of it is cached."""

from __future__ import annotations

import http.server
import io
import json
import re
import threading

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.uid import DeflatedExplicitVRLittleEndian

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, retrieve, store
from neuroview.io.pacs.payload import check_instance, read_instance

STUDY, SERIES, INSTANCE = "1.2.826.0.1.3680043.2.1125.1", "1.2.826.0.1.3680043.2.1125.2", \
    "1.2.826.0.1.3680043.2.1125.3"


def _instance(extra_bytes: int = 0, deflated: bool = False) -> bytes:
    """CT_small with ``extra_bytes`` zeros in a private element, as a Part 10 file."""
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = STUDY, SERIES, INSTANCE
    ds.file_meta.MediaStorageSOPInstanceUID = INSTANCE
    if deflated:
        ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    if extra_bytes:
        ds.add_new(0x00090010, "LO", "NEUROVIEW TEST")
        ds.add_new(0x00091010, "OB", bytes(extra_bytes))
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def test_the_helper_counts_a_deflate_bomb_and_a_big_instance_against_the_bound():
    bomb = _instance(8 << 20, deflated=True)
    assert len(bomb) < 100_000  # 8 MB of dataset in a few tens of kilobytes
    with pytest.raises(PacsError, match="inflates to more than 1.0 MB") as info:
        check_instance(bomb, "PACS (host): instance 1.2.3", limit=1 << 20)
    assert str(info.value).startswith("PACS (host): instance 1.2.3: ") and "\n" not in str(info.value)
    assert read_instance(bomb, "PACS", limit=64 << 20).SOPInstanceUID == INSTANCE  # within the bound
    big = _instance(2 << 20)
    with pytest.raises(PacsError, match=r"a DICOM instance of 2\.\d MB, more than the 1.0 MB"):
        read_instance(big, "PACS", limit=1 << 20, stop_before_pixels=True)


class _FakeDicomWeb(http.server.BaseHTTPRequestHandler):
    """QIDO-RS lists one instance; WADO-RS answers it with ``payload`` (multipart/related)."""

    payload = b""
    announce = True
    """Send a Content-Length (else the body runs to the end of the connection, HTTP/1.0)."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.split("?")[0].endswith("/instances"):
            paging = "offset=" in self.path and "offset=0" not in self.path  # the next page: empty
            body = json.dumps([] if paging else [{"00080018": {"vr": "UI", "Value": [INSTANCE]}}]).encode()
            kind = "application/dicom+json"
        else:
            body = (b"--XBOUNDARY\r\nContent-Type: application/dicom\r\n\r\n" + self.payload
                    + b"\r\n--XBOUNDARY--\r\n")
            kind = 'multipart/related; type="application/dicom"; boundary=XBOUNDARY'
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if self.announce or kind.startswith("application/dicom+json"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: refused
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_pacs():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeDicomWeb)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield ServerConfig("Hostile PACS", url=f"http://127.0.0.1:{httpd.server_address[1]}/dicom-web",
                       timeout=10)
    httpd.shutdown()


@pytest.mark.parametrize("payload, announce, problem", [
    (_instance(8 << 20, deflated=True), True, r"deflated DICOM dataset inflates to more than 2\.0 MB"),
    (_instance(3 << 20), True, r"the server announces 3\.\d MB, more than the 2\.0 MB"),
    (_instance(3 << 20), False, r"the answer is bigger than the 2\.0 MB"),
])
def test_wado_answer_past_the_memory_bound_is_refused_and_not_cached(fake_pacs, tmp_path, monkeypatch,
                                                                     payload, announce, problem):
    monkeypatch.setattr(_FakeDicomWeb, "announce", announce)
    monkeypatch.setattr(_FakeDicomWeb, "payload", _instance(1 << 20))  # an honest answer passes
    folder = retrieve(fake_pacs, STUDY, SERIES, SeriesCache(tmp_path / "cache"), protocol="web")
    assert pydicom.dcmread(next(folder.glob("*.dcm"))).SOPInstanceUID == INSTANCE

    monkeypatch.setenv("NEUROVIEW_MEMORY_LIMIT", "4M")  # 4 MiB: one instance may take 2 MiB
    monkeypatch.setattr(_FakeDicomWeb, "payload", payload)
    other = SeriesCache(tmp_path / "other")
    with pytest.raises(PacsError) as info:
        retrieve(fake_pacs, STUDY, SERIES, other, protocol="web")
    message = str(info.value)
    assert message.startswith("Hostile PACS (http://127.0.0.1:") and f"instance {INSTANCE}: " in message
    assert re.search(problem, message) and "\n" not in message
    assert other.lookup(SERIES) is None


def test_c_get_instance_past_the_memory_bound_is_refused_and_not_cached(empty_orthanc, tmp_path,
                                                                       monkeypatch, dimse_timeouts):
    """The DIMSE side, from a real Orthanc: an instance bigger than the bound, received as a C-STORE
    during C-GET, is cut short once past the bound (the association aborted); one line names the
    server, promptly: not after the configured DIMSE timeout (60 s here), which it used to wait."""
    from orthanc_server import server_config

    config = server_config(empty_orthanc, timeout=60.0)
    (tmp_path / "send").mkdir()
    (tmp_path / "send" / "big.dcm").write_bytes(_instance(3 << 20))
    assert store(config, [tmp_path / "send"], protocol="dimse") == 1
    monkeypatch.setenv("NEUROVIEW_MEMORY_LIMIT", "4M")  # one instance may take 2 MiB
    cache = SeriesCache(tmp_path / "cache")
    with pytest.raises(PacsError) as info:
        retrieve(config, STUDY, SERIES, cache, protocol="dimse")
    assert dimse_timeouts == [], "the aborted C-GET sat out its DIMSE timeout"
    message = str(info.value)
    assert message.startswith(f"test ({config.called_aet}@127.0.0.1:{config.port})")
    assert "sent an instance bigger than the 2.0 MB neuroview reads with the memory available: " \
           "the transfer was aborted after 2.0 MB and nothing was kept" in message
    assert "\n" not in message and cache.lookup(SERIES) is None
    monkeypatch.delenv("NEUROVIEW_MEMORY_LIMIT")
    folder = retrieve(config, STUDY, SERIES, cache, protocol="dimse")  # within the bound: kept
    assert pydicom.dcmread(next(folder.glob("*.dcm"))).SOPInstanceUID == INSTANCE
