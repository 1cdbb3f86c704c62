"""A DICOMweb server that stops answering ends a search, a retrieval or Test connection after the
server's timeout with one line. dicomweb-client's calls kept its fixed 20 s and retried once: a
search of a stalled server took over 40 s whatever the timeout (until session 40)."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time

import pytest
from pacs_ended import run_to_end

from neuroview.io.pacs import SeriesCache, ServerConfig, echo, find, retrieve

TIMEOUT = 1


@pytest.fixture
def silent_server():
    """A socket that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/dicom-web"
    for sock in [listener, *held]:
        sock.close()


class HalfInstance(http.server.BaseHTTPRequestHandler):
    """Lists one instance of any series, then sends the head and 1 kB of its 100 kB and stalls."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if "/instances/" not in self.path:
            body = json.dumps([{"00080018": {"vr": "UI", "Value": ["1.2.3.4.5"]}}]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/dicom+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", 'multipart/related; type="application/dicom"; boundary=b')
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"--b\r\nContent-Type: application/dicom\r\n\r\n" + bytes(1024))
        self.wfile.flush()
        time.sleep(3 * TIMEOUT)

    def log_message(self, *args):
        pass


def _ended(call) -> tuple[str, float]:
    """What ``call`` raised (PacsError's line) and after how long; fails when it runs 15 s."""
    said, took = run_to_end(call, 15)
    assert said is not None, (f"still waiting {took:.0f} s on a server that stopped answering "
                              f"(timeout {TIMEOUT} s)")
    return said, took


def _config(url: str) -> ServerConfig:
    return ServerConfig(name="quiet", url=url, timeout=TIMEOUT)


@pytest.mark.parametrize("what, call", [
    ("search", lambda config, cache: find(config, "STUDY")),
    # (a retrieval first searches the series' instances)
    ("search", lambda config, cache: retrieve(config, "1.2.3", "1.2.3.4", cache)),
    ("test search", lambda config, cache: echo(config)),
], ids=["search", "retrieval", "test connection"])
def test_a_silent_server_ends_after_its_timeout(silent_server, tmp_path, what, call):
    said, took = _ended(lambda: call(_config(silent_server), SeriesCache(tmp_path / "cache")))
    # a hang runs into _ended's 15 s; at load 17-20 a search that kept its 1 s took up to 3.4 s
    assert TIMEOUT * 0.9 <= took < TIMEOUT + 4, f"{what}: {took:.1f} s"
    assert said == (f"quiet ({silent_server}) stopped answering after {TIMEOUT} s during the "
                    f"{what}; try again")


def test_a_stall_in_the_middle_of_an_instance(tmp_path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HalfInstance)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/dicom-web"
    try:
        said, took = _ended(lambda: retrieve(_config(url), "1.2.3", "1.2.3.4",
                                             SeriesCache(tmp_path / "cache")))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert took < TIMEOUT + 4
    assert said == (f"quiet ({url}) stopped answering after {TIMEOUT} s during the retrieval (0 of 1 "
                    "image received); nothing was kept, try again")
    assert list((tmp_path / "cache").iterdir()) == []
