"""A DICOMweb server that redirects (HTTP 302) to another address is not followed there: one line
names the server and where it points (not the query, which may hold a patient's name). The search
followed it, and the other address's HTTP 403 was said as "refused the credentials of user (none)",
of the server the user had entered."""

from __future__ import annotations

import http.server

import pytest
from fake_web import send, serving

from neuroview.io.pacs import PacsError, ServerConfig, find


class Elsewhere(http.server.BaseHTTPRequestHandler):
    """Another address: refuses everything (HTTP 403), counting the requests it had."""

    asked = 0

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).asked += 1
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def _redirecting(to: str):
    class Redirecting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            if self.path.startswith("/dicom-web/studies?") and "moved" not in self.path:
                self.send_response(302)  # the same address: followed as before
                self.send_header("Location", self.path.replace("?", "?moved=1&", 1))
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif "moved" in self.path and to:
                self.send_response(302)
                self.send_header("Location", to + "/studies?PatientName=Doe*")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                send(self, b"[]", "application/dicom+json")

        def log_message(self, *args):
            pass
    return Redirecting


def test_a_redirect_to_another_address_is_not_followed():
    with serving(Elsewhere) as other, serving(_redirecting(other)) as url:
        with pytest.raises(PacsError) as info:
            find(ServerConfig(name="moved", url=url, username="ann", password="secret", timeout=5), "STUDY",
                 PatientName="Doe*")
    assert str(info.value) == (
        f"moved ({url}) redirected the search to another address, {other}/studies, which neuroview "
        "does not follow; if that is the DICOMweb root, enter it")
    assert Elsewhere.asked == 0


def test_a_redirect_on_the_same_address_is_followed():
    with serving(_redirecting("")) as url:
        assert find(ServerConfig(name="moved", url=url, timeout=5), "STUDY") == []
