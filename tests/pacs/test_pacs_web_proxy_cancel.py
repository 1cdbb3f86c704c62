"""Cancel behind an HTTP(S) proxy (``HTTP_PROXY``/``HTTPS_PROXY``, as a hospital sets them): the
search ends at once and its connection, which is to the proxy, is closed, so the proxy sees it
go. Until session 45 only direct connections were closed: the search said cancelled, but the
proxied connection stayed open, held by the request's abandoned thread until the timeout."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken
from neuroview.io.pacs import ServerConfig, find


class HoldingProxy:
    """A proxy on 127.0.0.1 that reads a request's headers (a ``GET http://...`` or a ``CONNECT``
    of an HTTPS tunnel) and answers nothing: ``asked`` once it read one, ``closed`` once the
    client closed that connection, ``first_line`` what it was asked."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.asked, self.closed = threading.Event(), threading.Event()
        self.first_line = ""
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with self.listener.accept()[0] as connection:
            connection.settimeout(20)
            received = b""
            try:
                while b"\r\n\r\n" not in received:
                    received += connection.recv(4096)
                self.first_line = received.split(b"\r\n")[0].decode()
                self.asked.set()
                while connection.recv(4096):   # held: nothing answered
                    pass
            except OSError:   # reset by the client: closed too
                pass
            self.closed.set()


@pytest.fixture
def proxy(monkeypatch):
    proxy = HoldingProxy()
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, proxy.url)
    yield proxy
    proxy.listener.close()


@pytest.mark.parametrize(("url", "asked"), [
    ("http://pacs.invalid:8042/dicom-web", "GET http://pacs.invalid:8042/dicom-web/studies?"),
    ("https://pacs.invalid/dicom-web", "CONNECT pacs.invalid:443 HTTP/"),
])
def test_a_search_through_a_proxy_cancelled_closes_its_connection(proxy, url, asked):
    config = ServerConfig(name="behind a proxy", url=url, timeout=30)
    token, said = CancelToken(), []

    def search() -> None:
        try:
            find(config, "STUDY", cancel=lambda: token.cancelled, PatientName="DOE*")
            said.append("returned")
        except Cancelled as exc:
            said.append(f"Cancelled: {exc}")
        except Exception as exc:  # noqa: BLE001 - said in the assertion
            said.append(f"{type(exc).__name__}: {exc}")

    worker = threading.Thread(target=search, daemon=True)
    worker.start()
    assert proxy.asked.wait(10), "the search never reached the proxy"
    assert proxy.first_line.startswith(asked)
    time.sleep(0.2)   # the client waits for the answer
    started = time.monotonic()
    token.cancel()
    worker.join(10)
    assert said == ["Cancelled: search cancelled"]
    assert time.monotonic() - started < 0.5
    assert proxy.closed.wait(2), "the connection to the proxy stayed open after the cancel"
