"""Test connection over DICOMweb fails for a URL that is not a DICOMweb root, saying what to enter:
Orthanc's own root (its REST API answers a search with ``[]`` on an empty server) and a web server
that answers 200 to everything passed as ``connection ok`` until session 40."""

from __future__ import annotations

import http.server
import threading

import pytest
from orthanc_server import server_config

from neuroview.io.pacs import PacsError, echo


def test_orthanc_root_url_fails_and_names_the_dicomweb_root(empty_orthanc):
    assert echo(server_config(empty_orthanc, host=""), "web") == ["DICOMweb"]   # .../dicom-web
    for root in (empty_orthanc.url, empty_orthanc.url + "/"):
        with pytest.raises(PacsError) as info:
            echo(server_config(empty_orthanc, host="", url=root), "web")
        said = str(info.value)
        assert "is not a DICOMweb root" in said and "application/json" in said, said
        assert f"the DICOMweb root is {empty_orthanc.url}/dicom-web: enter that" in said, said
        assert "\n" not in said


class Yes(http.server.BaseHTTPRequestHandler):
    """200 and an empty page to every request."""

    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_server_answering_200_to_everything_fails(orthanc):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Yes)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/dicom-web"
        with pytest.raises(PacsError) as info:
            echo(server_config(orthanc, host="", url=url), "web")
        said = str(info.value)
        assert "is not a DICOMweb root" in said and "text/html" in said, said
        assert "enter the DICOMweb root, the address before /studies" in said, said
    finally:
        httpd.shutdown()
        httpd.server_close()
