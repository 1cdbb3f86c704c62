"""Cancel stops a DICOMweb search, retrieval or send at once, while the server takes its time to
answer: the request is abandoned, its connection closed (the server sees it go), nothing is asked
again and nothing is kept. Until session 44 a cancel was looked at between requests only: the
search (QIDO-RS), an instance (WADO-RS) or a batch sent (STOW-RS) waited for the server's answer,
or its timeout (30 s by default), with the window's search busy meanwhile."""

from __future__ import annotations

import http.server
import json
import threading
import time

import pytest
from fake_web import cancel_while_held, send, serving
from pacs_window import cancel_ends_at_once, connection_test_cancelled, search_in_dialog, shown_window

from neuroview.core.jobs import CancelToken
from neuroview.io.pacs import SeriesCache, ServerConfig, find, retrieve, store

PROMPT_S = 5.0
"""A cancelled request ends within this: the request it ends waits for the server's timeout (30 s);
0.05 s at load 6 (0.05 s polls): the limit is 100x that, for a shared machine under more load
(0.5 s until session 45)."""


class Slow(http.server.BaseHTTPRequestHandler):
    """Holds a request whose path has ``held`` (and any POST): read to its headers, then no
    answer until the client closes the connection. Any other search is answered at once with one
    instance."""

    held = "/studies?"
    asked: threading.Event
    closed: threading.Event
    requests: list

    def do_GET(self):  # noqa: N802 - http.server's name
        self.requests.append(self.path)
        if self.held not in self.path:
            body = json.dumps([{"00080018": {"vr": "UI", "Value": ["1.2.3.4.5"]}}]).encode()
            send(self, body, "application/dicom+json")
            return
        self._hold()

    def do_POST(self):  # noqa: N802 - http.server's name
        self.requests.append(self.path)
        self._hold()

    def _hold(self) -> None:
        self.asked.set()
        self.connection.settimeout(20)
        try:
            while self.connection.recv(65536):   # (a STOW-RS body read and dropped)
                pass
            self.closed.set()
        except OSError:
            self.closed.set()   # reset by the client: closed too
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    handler = type("Handler", (Slow,), {"asked": threading.Event(), "closed": threading.Event(),
                                        "requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, ServerConfig(name="slow", url=f"http://127.0.0.1:{server.server_port}/dicom-web",
                                timeout=30)
    server.shutdown()
    server.server_close()


def test_a_search_cancelled_while_the_server_thinks(slow_server):
    handler, config = slow_server
    said, took = cancel_while_held(handler.asked, lambda token: find(
        config, "STUDY", cancel=lambda: token.cancelled, PatientName="DOE*"))
    assert said == "Cancelled: search cancelled"
    assert took < PROMPT_S, f"the search ended {took:.2f} s after the cancel"
    assert handler.closed.wait(2), "the connection to the server stayed open"
    time.sleep(0.8)   # dicomweb-client retries a failed request 0.5 s later: not sent
    assert len(handler.requests) == 1


def test_a_retrieval_cancelled_while_an_instance_is_awaited(slow_server, tmp_path):
    handler, config = slow_server
    handler.held = "/instances/1.2.3.4.5"   # the instance, once its series is searched
    cache = SeriesCache(tmp_path / "cache")
    said, took = cancel_while_held(handler.asked, lambda token: retrieve(
        config, "1.2.3", "1.2.3.4", cache, cancel=lambda: token.cancelled))
    assert said == "Cancelled: retrieval cancelled; nothing was kept"
    assert took < PROMPT_S, f"the retrieval ended {took:.2f} s after the cancel"
    assert handler.closed.wait(2), "the connection to the server stayed open"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == []   # nothing half-written kept


def test_a_send_cancelled_while_the_server_stores(slow_server, small_series):
    handler, config = slow_server
    said, took = cancel_while_held(handler.asked, lambda token: store(config, [small_series.folder],
                                                                 cancel=lambda: token.cancelled))
    assert said == ("Cancelled: sending cancelled after 0 of 12 files (the server may keep the "
                    "12 files it was being sent)")
    assert took < PROMPT_S, f"the send ended {took:.2f} s after the cancel"
    assert handler.closed.wait(2), "the connection to the server stayed open"


window = pytest.fixture(shown_window, name="window")


def test_cancel_in_the_window_ends_a_dicomweb_search_at_once(slow_server, tmp_path, monkeypatch,
                                                             qtbot, window):
    handler, config = slow_server
    dialog = search_in_dialog(window, qtbot, config, tmp_path / "home", monkeypatch)
    qtbot.waitUntil(handler.asked.is_set, timeout=10000)
    assert window.runner.busy and not dialog.search_button.isEnabled()
    cancel_ends_at_once(qtbot, window, PROMPT_S)   # the status bar's Cancel
    assert dialog.status.text() == "search cancelled"
    assert dialog.search_button.isEnabled()
    assert handler.closed.wait(2)


def test_cancel_ends_test_connection_at_once(slow_server, tmp_path, monkeypatch, qtbot, window):
    """Settings > DICOM servers..., Test connection of a server that holds its answer: the status
    bar's Cancel ends it (it ran on until the server's timeout, then said its answer)."""
    handler, config = slow_server
    dialog = connection_test_cancelled(qtbot, window, "slow", config, handler.asked.is_set,
                                       tmp_path / "home", monkeypatch, PROMPT_S)
    assert dialog.status.text() == "test of slow cancelled"
    assert dialog.test_button.isEnabled()
    assert handler.closed.wait(2)


class SlowStore(http.server.BaseHTTPRequestHandler):
    """Takes a STOW-RS whole, then answers success 1 s later."""

    asked = threading.Event()

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers["Content-Length"]))
        self.asked.set()
        time.sleep(1)
        send(self, b"{}", "application/dicom+json")

    def log_message(self, *args):
        pass


def test_a_seg_sent_when_cancel_comes_is_sent_whole(small_series, mni_volume):
    """Save to PACS sends its SEG whole once under way, as the window says after a late Cancel
    ('the server holds it whole'); abandoned, it would have been said as 'nothing was sent',
    though the server had taken it."""
    import numpy as np

    from neuroview.core.labels import LabelMap
    from neuroview.io import load
    from neuroview.io.pacs.save_mask import save_mask_to_pacs

    volume = load(small_series.folder)
    labels = LabelMap(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras)
    labels.array[4:8, 4:8, 2:5] = 1
    labels.segments.add("lesion", value=1)
    token = CancelToken()
    SlowStore.asked.clear()
    threading.Thread(target=lambda: SlowStore.asked.wait(20) and token.cancel(), daemon=True).start()
    with serving(SlowStore) as url:
        uid = save_mask_to_pacs(ServerConfig(name="slow", url=url, timeout=30), labels,
                                small_series.folder, reader="Ann Smith", cancel=token)
    assert token.cancelled and uid


def test_compare_readers_cancelled_while_the_server_searches(slow_server, small_series, tmp_path):
    """Compare readers... with a server: its search for the SEGs stops at the cancel (the job
    waited for the server's answers: the search and every SEG's retrieval took no cancel)."""
    from neuroview.app.readers import gather_versions
    from neuroview.io import load

    handler, config = slow_server
    handler.held = "/series"   # the study's SEG series
    volume = load(small_series.folder)
    said, took = cancel_while_held(handler.asked, lambda token: gather_versions(
        volume, config, local_folders=[], cache=SeriesCache(tmp_path / "cache"), cancel=token))
    assert said == "Cancelled: search cancelled"
    assert took < PROMPT_S, f"the search ended {took:.2f} s after the cancel"
    assert handler.closed.wait(2)
