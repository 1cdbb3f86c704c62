"""A WADO-RS answer that is no DICOM (an HTML page, a multipart body whose parts do not use its
boundary) is one line naming the server, the instance and what was wrong, and nothing is cached.
It was "did not give a DICOMweb answer to the retrieval (ValueError); is the URL the DICOMweb
root?", though the same root had just answered the series' search."""

from __future__ import annotations

import http.server
import json

import pytest
from fake_web import send, serving

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, retrieve

INSTANCE = "1.2.826.0.1.3680043.2.1125.97.1"


def _server(body: bytes, media: str):
    class Answering(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            if "/instances/" not in self.path:
                send(self, json.dumps([{"00080018": {"vr": "UI", "Value": [INSTANCE]}}]).encode(),
                     "application/dicom+json")
            else:
                send(self, body, media)

        def log_message(self, *args):
            pass
    return Answering


@pytest.mark.parametrize("body, media, said", [
    (b"<html>Please log in</html>", "text/html; charset=utf-8", "the answer is text/html, not DICOM"),
    (b"--other\r\nContent-Type: application/dicom\r\n\r\nDICM\r\n--other--",
     'multipart/related; type="application/dicom"; boundary=b',
     "the multipart answer has no complete part with its boundary 'b'"),
])
def test_a_wado_rs_answer_that_is_no_dicom_is_one_line(body, media, said, tmp_path):
    cache = SeriesCache(tmp_path / "cache")
    with serving(_server(body, media)) as url, pytest.raises(PacsError) as info:
        retrieve(ServerConfig(name="odd", url=url, timeout=5), "1.2.3", "1.2.3.4", cache)
    assert str(info.value) == f"odd ({url}): instance {INSTANCE}: {said}; nothing was kept"
    assert cache.lookup("1.2.3.4") is None
