"""Cancel while a DIMSE association is asked for.

pynetdicom's ``AE.associate`` waits for the server's answer to the A-ASSOCIATE-RQ for the whole
ACSE timeout (the server's, 30 s by default) and looks at nothing else: *Cancel* on a search or
retrieval of a server that accepts the connection and says nothing (a hung server, a wrong port
behind a firewall) waited that long. :class:`ConnectStop` watches the user's cancel check from a
thread of its own meanwhile and shuts the connection down, which pynetdicom takes as the peer
gone: ``associate`` returns at once with the association aborted.
"""

from __future__ import annotations

import threading

from .callbacks import CancelCheck
from .shut_sockets import ShutSockets

POLL = 0.05
"""Seconds between two looks at the user's cancel check."""


class ConnectStop:
    """``with ConnectStop(cancel) as stop:`` around ``AE.associate``, whose ``EVT_CONN_OPEN``
    handlers include :meth:`opened`; :attr:`cancelled` tells afterwards whether a cancel cut it."""

    def __init__(self, cancel: CancelCheck) -> None:
        self.cancel = cancel
        self.sockets = ShutSockets()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="neuroview-connect-stop")

    @property
    def cancelled(self) -> bool:
        return self.sockets.stopped

    def opened(self, event) -> None:
        """pynetdicom's ``EVT_CONN_OPEN``: the connection to watch (shut at once when cancelled)."""
        sock = getattr(getattr(event.assoc.dul, "socket", None), "socket", None)
        if sock is not None:
            self.sockets.opened(sock)

    def _watch(self) -> None:
        while not self._done.wait(POLL):
            if self.cancel():
                self.sockets.stop()
                return

    def __enter__(self) -> ConnectStop:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._done.set()
        self._thread.join()

