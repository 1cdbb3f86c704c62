"""Cancel behind an HTTP(S) proxy (``HTTP_PROXY``/``HTTPS_PROXY``, as a hospital sets them): the
search ends at once and its connection, which is to the proxy, is closed, so the proxy sees it
go. Until session 45 only direct connections were closed: the search said cancelled, but the
proxied connection stayed open, held by the request's abandoned thread until the timeout."""

from __future__ import annotations

import socket
import threading

import pytest
from fake_web import cancel_while_held

from neuroview.io.pacs import ServerConfig, find


class HoldingProxy:
    """A proxy on 127.0.0.1 that reads a request's headers (a ``GET http://...`` or a ``CONNECT``
    of an HTTPS tunnel) and answers nothing: ``asked`` once it read one, ``closed`` once the
    client closed that connection, ``first_line`` what it was asked. With ``tls`` (an
    ``ssl.SSLContext``), a server that does the same behind TLS."""

    def __init__(self, tls=None) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.asked, self.closed = threading.Event(), threading.Event()
        self.first_line = ""
        self.tls = tls
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        connection = self.listener.accept()[0]
        if self.tls is not None:
            connection = self.tls.wrap_socket(connection, server_side=True)
        with connection:
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
    _search_then_cancel(proxy, ServerConfig(name="behind a proxy", url=url, timeout=30), asked)


def _search_then_cancel(holder: HoldingProxy, config: ServerConfig, asked: str) -> None:
    """A search of ``config`` in a thread, cancelled once ``holder`` holds it (its first line
    begins with ``asked``): it ends at once, and ``holder`` sees its connection closed."""
    said, took = cancel_while_held(holder.asked, lambda token: find(
        config, "STUDY", cancel=lambda: token.cancelled, PatientName="DOE*"))
    assert holder.first_line.startswith(asked)
    assert said == "Cancelled: search cancelled"
    # 0.05 s at load 6; 100x that for a machine under more load (0.5 s until session 45): the
    # request it ends waits for the timeout (30 s)
    assert took < 5.0
    assert holder.closed.wait(2), "the connection stayed open after the cancel"


def _certificate(folder) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def test_a_direct_https_search_cancelled_after_its_handshake_closes_its_connection(tmp_path,
                                                                                    monkeypatch):
    """The socket told as it opens is wrapped for TLS (Python's ssl detaches it): the connection
    is closed through the socket the handshake made too."""
    import ssl

    cert, key = _certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = HoldingProxy(tls=context)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)
    _search_then_cancel(server, ServerConfig(name="tls", url=f"https://127.0.0.1:{server.port}/dicom-web",
                                             timeout=30), "GET /dicom-web/studies?")
