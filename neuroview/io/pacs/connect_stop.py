"""Cancel while a DIMSE association is asked for.

pynetdicom's ``AE.associate`` waits for the server's answer to the A-ASSOCIATE-RQ for the whole
ACSE timeout (the server's, 30 s by default) and looks at nothing else: *Cancel* on a search or
retrieval of a server that accepts the connection and says nothing (a hung server, a wrong port
behind a firewall) waited that long. :class:`ConnectStop` watches the user's cancel check from a
thread of its own meanwhile and shuts the connection down, which pynetdicom takes as the peer
gone: ``associate`` returns at once with the association aborted.
"""

from __future__ import annotations

import contextlib
import socket
import threading

from .callbacks import CancelCheck

POLL = 0.05
"""Seconds between two looks at the user's cancel check."""


class ConnectStop:
    """``with ConnectStop(cancel) as stop:`` around ``AE.associate``, whose ``EVT_CONN_OPEN``
    handlers include :meth:`opened`; :attr:`cancelled` tells afterwards whether a cancel cut it."""

    def __init__(self, cancel: CancelCheck) -> None:
        self.cancel = cancel
        self.cancelled = False
        self._sockets: list = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="neuroview-connect-stop")

    def opened(self, event) -> None:
        """pynetdicom's ``EVT_CONN_OPEN``: the connection to watch (shut at once when cancelled)."""
        sock = getattr(getattr(event.assoc.dul, "socket", None), "socket", None)
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            cancelled = self.cancelled
        if cancelled:
            _shut(sock)

    def _watch(self) -> None:
        while not self._done.wait(POLL):
            if self.cancel():
                with self._lock:
                    self.cancelled = True
                    sockets = list(self._sockets)
                for sock in sockets:
                    _shut(sock)
                return

    def __enter__(self) -> ConnectStop:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._done.set()
        self._thread.join()


def _shut(sock) -> None:
    with contextlib.suppress(OSError):   # closed already
        sock.shutdown(socket.SHUT_RDWR)
