"""What goes wrong between neuroview and a DICOM server, each said in one line: an AE title or
credentials refused, an abort instead of a rejection, nothing listening or no DICOM answer, the
server gone in the middle of a transfer."""

from __future__ import annotations

import http.server
import threading

import pytest
from orthanc_server import server_config
from pacs_series import uids

from neuroview.io.pacs import PacsError, SeriesCache, echo, find, retrieve, store


def test_echo_and_wrong_ae_title(orthanc_factory):
    """Orthanc answers a wrong AE title with A-ASSOCIATE-RJ and closes the connection at once;
    pynetdicom sometimes sees the close first and reports an abort. Whatever the order (and after
    DICOMweb requests, which made it more frequent), the user reads that the AE title was refused.
    Its own Orthanc, so the test does not depend on what other tests did before."""
    server = orthanc_factory()
    assert echo(server_config(server), "dimse") == ["DIMSE"]
    for attempt in range(30):
        if attempt % 10 == 5:
            find(server_config(server), "STUDY", protocol="web")
        with pytest.raises(PacsError, match="refused the association: check the server's AE title") as info:
            echo(server_config(server, called_aet="NOTORTHANC"), "dimse")
        assert "\n" not in str(info.value)


def test_a_server_that_aborts_instead_of_rejecting():
    """Some archives answer an association they do not accept with A-ABORT: that is a refusal,
    not 'not a DICOM server'."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve():
        conn, _ = listener.accept()
        conn.recv(65536)  # the A-ASSOCIATE-RQ
        conn.sendall(bytes([0x07, 0, 0, 0, 0, 4, 0, 0, 2, 0]))  # A-ABORT, source: service provider
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    from neuroview.io.pacs import ServerConfig

    config = ServerConfig(name="strict", host="127.0.0.1", port=listener.getsockname()[1], timeout=5)
    try:
        with pytest.raises(PacsError, match="refused the association"):
            echo(config)
    finally:
        thread.join(5)
        listener.close()


def test_nothing_listening_and_non_dicom_answers(orthanc, tmp_path):
    # the DICOM client pointed at the HTTP port: an answer, but not DICOM
    with pytest.raises(PacsError, match="did not answer as a DICOM server|no DICOM answer"):
        echo(server_config(orthanc, port=orthanc.http_port, timeout=5))

    class Html(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            body = b"<html><body>Welcome to the hospital intranet</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "application/dicom+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Html)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/dicom-web"
        with pytest.raises(PacsError, match="did not give a DICOMweb answer") as info:
            find(server_config(orthanc, host="", url=url), "STUDY")
        assert "\n" not in str(info.value)
    finally:
        httpd.shutdown()


def test_wrong_credentials_never_show_the_password(orthanc):
    config = server_config(orthanc, host="", password="wrong-password-123")
    with pytest.raises(PacsError, match="refused the credentials") as info:
        find(config, "STUDY")
    assert "wrong-password-123" not in str(info.value)
    assert "wrong-password-123" not in repr(config) and "wrong-password-123" not in config.describe()


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_server_goes_away_mid_transfer(orthanc_factory, small_series, tmp_path, protocol):
    server = orthanc_factory()
    config = server_config(server)
    store(config, [small_series.folder])
    study_uid, series_uid = uids(small_series)
    cache = SeriesCache(tmp_path / "cache")

    def pull_the_plug(done, total, text):
        if done == 4:
            server.kill()

    with pytest.raises(PacsError) as info:
        retrieve(config, study_uid, series_uid, cache, protocol=protocol, progress=pull_the_plug)
    message = str(info.value)
    assert "\n" not in message and message.endswith(
        "(4 of 12 images received); the 4 images received are kept for a retry, which fetches only the rest")
    # nothing half-written; the 4 images kept for the retry (session 48: it retrieved all 12 again)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f".kept-{series_uid}"]
    server.start()  # same storage: the server comes back
    seen = []
    folder = retrieve(config, study_uid, series_uid, cache, protocol=protocol,
                      progress=lambda done, total, text: text.startswith("checking") or seen.append(done))
    # (the kept images' check reports first, "checking 4 kept images...": not the transfer's counts)
    assert len(list(folder.glob("*.dcm"))) == len(small_series.files)
    assert seen[0] == 4 and len(seen) == 1 + len(small_series.files) - 4

