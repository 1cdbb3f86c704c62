"""A DICOMweb server whose search answers a patient's name where an instance's UID belongs: the
retrieval is refused in one line naming the element, never quoting what the server sent (it
quoted the first 70 characters), and nothing is cached."""

from __future__ import annotations

import http.server
import json

import pytest
from fake_web import send, serving

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, retrieve
from tests.private_values import MARKER


class _Answering(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        send(self, json.dumps([{"00080018": {"vr": "UI", "Value": [MARKER]}}]).encode(),
             "application/dicom+json")

    def log_message(self, *args):
        pass


def test_a_name_as_an_instance_uid_is_refused_without_quoting_it(tmp_path):
    cache = SeriesCache(tmp_path / "cache")
    with serving(_Answering) as url, pytest.raises(PacsError) as info:
        retrieve(ServerConfig(name="odd", url=url, timeout=5), "1.2.3", "1.2.3.4", cache)
    assert str(info.value) == ("SOPInstanceUID is not a DICOM UID (digits and dots, at most 64; "
                               "value not shown)")
    assert MARKER not in str(info.value)
    assert cache.lookup("1.2.3.4") is None
