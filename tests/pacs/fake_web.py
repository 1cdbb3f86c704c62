"""A small web server of a test's own, for DICOMweb servers that misbehave as Orthanc never does."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from typing import Iterator

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken


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


def cancel_while_held(asked: threading.Event, call) -> tuple[str, float]:
    """``call(token)`` in a thread (``token``: a ``core.jobs.CancelToken``); once the server holds
    its request (``asked`` set), the token is cancelled: what the call raised and how long after
    the cancel it returned."""
    cancel, said = CancelToken(), []

    def run() -> None:
        try:
            call(cancel)
            said.append("returned")
        except Cancelled as exc:
            said.append(f"Cancelled: {exc}")
        except Exception as exc:  # noqa: BLE001 - said in the assertion
            said.append(f"{type(exc).__name__}: {exc}")

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    assert asked.wait(10), f"the request never reached the server: {said}"
    time.sleep(0.2)   # the client waits for the answer
    started = time.monotonic()
    cancel.cancel()
    worker.join(10)
    took = time.monotonic() - started
    assert said, f"still waiting {took:.0f} s after the cancel"
    return said[0], took
