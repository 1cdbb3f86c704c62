"""A server that ignores C-CANCEL keeps streaming matches: a search past its limit, or cancelled by
the user, read them until the server ended (for ever, from a server that never does), and the
window's search stayed busy. Now the association is aborted 2 s (``CANCEL_GRACE``) after the
C-CANCEL: ``pacs find`` prints what it has, the window's search ends as cancelled, and the server
sees the association go."""

from __future__ import annotations

import threading
import time

import pytest
from fake_qr import start_qr_scp
from pacs_window import cancel_ends_at_once, search_in_dialog, shown_window
from pydicom.dataset import Dataset

from neuroview.core.errors import Cancelled
from neuroview.io.pacs import ServerConfig, find
from neuroview.io.pacs.find_stop import CANCEL_GRACE

STREAM_S = 25.0
"""How long the server streams, C-CANCEL or not (a search that waits for it fails, not hangs)."""
PROMPT_S = CANCEL_GRACE + 4.0
"""A stopped search ends within this (the grace, and the load of a shared 2-core machine)."""


@pytest.fixture(scope="module")
def deaf_pacs():
    """A Q/R SCP whose C-FIND streams a study every 5 ms for STREAM_S, C-CANCEL or not, until the
    association goes (pynetdicom then stops asking its handler for more). Yields (port, state):
    ``state["streaming"]`` is set once it streams, ``state["last"]`` is when it made its last answer."""
    state = {"streaming": threading.Event(), "stop": False, "last": 0.0}

    def on_find(event):
        state["streaming"].set()
        started, number = time.monotonic(), 0
        while time.monotonic() - started < STREAM_S and not state["stop"]:
            state["last"] = time.monotonic()
            answer = Dataset()
            answer.QueryRetrieveLevel = "STUDY"
            answer.PatientName, answer.PatientID = "Deaf^Server", "P1"
            answer.StudyInstanceUID = f"1.2.826.0.1.3680043.2.1125.95.{number}"
            number += 1
            time.sleep(0.005)
            yield 0xFF00, answer
        yield 0x0000, None

    server, port = start_qr_scp("DEAFPACS", on_find, None, None)
    yield port, state
    state["stop"] = True
    server.shutdown()


def _config(port: int) -> ServerConfig:
    return ServerConfig(name="deaf", host="127.0.0.1", port=port, called_aet="DEAFPACS",
                        calling_aet="NEUROVIEW", timeout=30)


def _ended(state) -> bool:
    """Whether the server stopped streaming (it saw the association go): no answer made for 1.5 s,
    within 8 s."""
    deadline = time.monotonic() + 8
    while time.monotonic() - state["last"] < 1.5 and time.monotonic() < deadline:
        time.sleep(0.1)
    ended = time.monotonic() - state["last"] >= 1.5
    state["streaming"].clear()
    return ended


def test_a_search_past_its_limit_ends_though_the_server_ignores_the_cancel(deaf_pacs):
    port, state = deaf_pacs
    started = time.monotonic()
    found = find(_config(port), "STUDY", protocol="dimse", limit=5)
    took = time.monotonic() - started
    assert len(found) == 5 and found.more
    assert took < PROMPT_S, f"the search ended after {took:.1f} s"
    assert _ended(state)


def test_a_cancelled_search_ends_though_the_server_ignores_the_cancel(deaf_pacs):
    port, state = deaf_pacs
    started = time.monotonic()
    with pytest.raises(Cancelled):
        find(_config(port), "STUDY", protocol="dimse", cancel=lambda: time.monotonic() - started > 0.5)
    took = time.monotonic() - started
    assert took < 0.5 + PROMPT_S, f"the search ended after {took:.1f} s"
    assert _ended(state)


window = pytest.fixture(shown_window, name="window")


def test_cancel_in_the_window_frees_it_from_a_server_ignoring_the_cancel(deaf_pacs, tmp_path, monkeypatch,
                                                                        qtbot, window):
    port, state = deaf_pacs
    dialog = search_in_dialog(window, qtbot, _config(port), tmp_path / "home", monkeypatch)
    qtbot.waitUntil(state["streaming"].is_set, timeout=20000)
    assert window.runner.busy
    cancel_ends_at_once(qtbot, window, PROMPT_S)   # the status bar's Cancel
    assert dialog.status.text() == "search cancelled"
    assert dialog.search_button.isEnabled()
    assert _ended(state)
