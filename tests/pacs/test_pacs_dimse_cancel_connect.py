"""Cancel while a DIMSE server accepts the connection and does not answer the association request
(a hung server; the wrong port behind a firewall): the search or retrieval ends at once, the
connection closed. pynetdicom waits for the answer for the whole ACSE timeout (the server's, 30 s
by default) and looked at no cancel: until session 44 the search stayed busy that long."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from pacs_window import cancel_ends_at_once, connection_test_cancelled, search_in_dialog, shown_window

from neuroview.core.errors import Cancelled
from neuroview.io.pacs import SeriesCache, ServerConfig, find, retrieve

PROMPT_S = 5.0
"""A cancelled wait ends within this: the wait it ends lasts the server's ACSE timeout (30 s);
0.05 s at load 6 (0.05 s polls): the limit is 100x that, for a shared machine under more load
(0.5 s until session 45)."""


@pytest.fixture
def mute_server():
    """Accepts connections, reads what comes and answers nothing; ``asked`` is set once a request
    arrived, ``closed`` once the client closed its connection. Yields (state, config)."""
    listener = socket.create_server(("127.0.0.1", 0))
    state = {"asked": threading.Event(), "closed": threading.Event()}

    def serve(conn: socket.socket) -> None:
        conn.settimeout(20)
        try:
            while conn.recv(65536):
                state["asked"].set()
        except OSError:
            pass
        state["closed"].set()
        conn.close()

    def accept() -> None:
        while True:
            try:
                conn = listener.accept()[0]
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield state, ServerConfig(name="mute", host="127.0.0.1", port=listener.getsockname()[1],
                              called_aet="MUTEPACS", calling_aet="NEUROVIEW", timeout=30)
    listener.close()


def _cancelled_after(state, call) -> float:
    """``call(cancel)`` in a thread, cancelled once the server has the association request: how
    long it ran on after the cancel (it must raise Cancelled)."""
    cancel, said = threading.Event(), []

    def run() -> None:
        try:
            call(cancel.is_set)
            said.append("returned")
        except Cancelled:
            said.append("Cancelled")
        except Exception as exc:  # noqa: BLE001 - said in the assertion
            said.append(f"{type(exc).__name__}: {exc}")

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    assert state["asked"].wait(10), "no association request reached the server"
    started = time.monotonic()
    cancel.set()
    worker.join(10)
    took = time.monotonic() - started
    assert said == ["Cancelled"], f"{said} after {took:.1f} s"
    assert state["closed"].wait(2), "the connection stayed open"
    return took


def test_a_search_is_cancelled_while_the_server_is_mute(mute_server):
    state, config = mute_server
    took = _cancelled_after(state, lambda cancel: find(config, "STUDY", cancel=cancel))
    assert took < PROMPT_S, f"the search ended {took:.2f} s after the cancel"


def test_a_retrieval_is_cancelled_while_the_server_is_mute(mute_server, tmp_path):
    state, config = mute_server
    took = _cancelled_after(state, lambda cancel: retrieve(config, "1.2.3", "1.2.3.4",
                                                           SeriesCache(tmp_path / "cache"), cancel=cancel))
    assert took < PROMPT_S, f"the retrieval ended {took:.2f} s after the cancel"
    assert list((tmp_path / "cache").iterdir()) == []


window = pytest.fixture(shown_window, name="window")


def test_cancel_in_the_window_while_the_server_is_mute(mute_server, tmp_path, monkeypatch, qtbot, window):
    state, config = mute_server
    dialog = search_in_dialog(window, qtbot, config, tmp_path / "home", monkeypatch)
    qtbot.waitUntil(state["asked"].is_set, timeout=10000)
    cancel_ends_at_once(qtbot, window, PROMPT_S)   # the status bar's Cancel
    assert dialog.status.text() == "search cancelled"
    assert dialog.search_button.isEnabled()


def test_cancel_ends_test_connection_while_the_server_is_mute(mute_server, tmp_path, monkeypatch,
                                                              qtbot, window):
    state, config = mute_server
    dialog = connection_test_cancelled(qtbot, window, "mute", config, state["asked"].is_set,
                                       tmp_path / "home", monkeypatch, PROMPT_S)
    assert dialog.status.text() == "test of mute cancelled"
    assert dialog.test_button.isEnabled()
    assert state["closed"].wait(2)
