"""What Search and Test connection say when no DICOM server answers: a port where nothing
listens (the server is stopped) is not told apart from a port where something else answers."""

import socket
import threading

import pytest

from neuroview.io.pacs.config import PacsError, ServerConfig
from neuroview.io.pacs.dimse import echo


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_stopped_server_is_said_to_be_not_running_not_a_wrong_port():
    config = ServerConfig("stopped", host="127.0.0.1", port=_free_port(), timeout=5)
    with pytest.raises(PacsError) as error:
        echo(config)
    message = str(error.value)
    assert "nothing listening" in message and "is the server running?" in message
    assert "DICOM port" not in message


def test_something_else_on_the_port_is_asked_about_the_port():
    """A listener that is no DICOM server (it closes every connection at once, like a web server
    given a DICOM request): 'is this the DICOM port?'."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            connection.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with pytest.raises(PacsError) as error:
            echo(ServerConfig("web", host="127.0.0.1", port=port, timeout=5))
    finally:
        stop.set()
        thread.join(2)
        listener.close()
    assert "is this the DICOM port?" in str(error.value)
