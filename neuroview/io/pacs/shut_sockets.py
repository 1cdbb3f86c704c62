"""The connections a cancel closes: a DIMSE association being asked for (``connect_stop``) and a
DICOMweb session's requests (``web_stop``). Shutting a socket down (both ways) wakes the thread
blocked on it with an error or an end of stream, which it takes as the peer gone."""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref


class ShutSockets:
    """Sockets told by :meth:`opened`, all shut down by :meth:`stop`; one told after the stop is
    shut down at once. :attr:`stopped` says whether :meth:`stop` was called."""

    def __init__(self) -> None:
        self.stopped = False
        self._sockets: weakref.WeakSet = weakref.WeakSet()
        self._lock = threading.Lock()

    def opened(self, sock) -> None:
        """A connection was made (shut down at once when already stopped)."""
        with self._lock:
            self._sockets.add(sock)
            stopped = self.stopped
        if stopped:
            _shut(sock)

    def stop(self) -> None:
        """Shut down every connection told; no later one stays open."""
        with self._lock:
            self.stopped = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock) -> None:
    with contextlib.suppress(OSError):   # closed already
        sock.shutdown(socket.SHUT_RDWR)
