"""A small web server of a test's own, for DICOMweb servers that misbehave as Orthanc never does."""

from __future__ import annotations

import contextlib
import http.server
import threading
from typing import Iterator


def send(handler: http.server.BaseHTTPRequestHandler, body: bytes, media: str) -> None:
    """Answer 200 with ``body`` as ``media``, its length said."""
    handler.send_response(200)
    handler.send_header("Content-Type", media)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextlib.contextmanager
def serving(handler_class) -> Iterator[str]:
    """``handler_class`` serving on 127.0.0.1 meanwhile; yields its DICOMweb root URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/dicom-web"
    finally:
        server.shutdown()
        server.server_close()
