"""Cancel that stops a DICOMweb request at once, not once its answer ends.

A QIDO-RS search, a WADO-RS instance or a STOW-RS batch is one blocking HTTP request: a cancel
was looked at between requests only, so *Cancel* on a search of a server that took its time
waited for the server's answer (or its 30 s timeout). :class:`WebStop` runs each request in a
thread of its own (``core.jobs.abandonable``) and waits for it 0.05 s at a time; on a cancel it
shuts down the session's sockets (the server sees the connection closed, the request's thread
wakes with an error and ends) and raises :class:`Cancelled` in the caller at once; behind an
HTTP(S) proxy its sockets are those to the proxy. The session sends nothing more once stopped
(dicomweb-client retries a failed request).
"""

from __future__ import annotations

from ...core.errors import Cancelled
from ...core.jobs import abandonable
from .callbacks import CancelCheck, never_cancelled
from .shut_sockets import ShutSockets


class WebStop(ShutSockets):
    """The cancel check of one session's requests, and the sockets those requests opened
    (:meth:`opened`; :meth:`stop` closes them all and no request is sent after it)."""

    def __init__(self, cancel: CancelCheck = never_cancelled, what: str = "request") -> None:
        super().__init__()
        self.cancel, self.what = cancel, what

    def check(self) -> None:
        """Raise :class:`Cancelled` when stopped or cancelled (stopping the session)."""
        if not self.stopped and self.cancel():
            self.stop()
        if self.stopped:
            raise Cancelled(f"{self.what} cancelled")

    raise_if_cancelled = check
    """As a ``core.jobs.CancelToken``, for :func:`~neuroview.core.jobs.abandonable`."""

    def run(self, function, *args, **kwargs):
        """``function(*args, **kwargs)`` in a thread of its own; its result or exception, or
        :class:`Cancelled` within 0.05 s of a cancel (the connections closed; a request that
        failed as they closed is said as cancelled too)."""
        self.check()
        return abandonable(lambda: function(*args, **kwargs), self, "neuroview-web-request")


def tracking_adapter(stop: WebStop):
    """A requests adapter whose connections tell ``stop`` their socket as soon as it is connected:
    to the server, or to an HTTP(S) proxy (``HTTPS_PROXY``), before the proxy's tunnel or the TLS
    handshake, which a proxy or server may hold too. Proxied connections were not closed on a
    cancel until session 45 (requests makes them in a pool manager of their own)."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    # urllib3's _new_conn opens the TCP socket in connect(), before any tunnel or handshake: the
    # one place every connection's socket is known (urllib3 2.x has no public hook for it). The
    # socket connect() ends with is told too: a TLS one replaces it (Python's ssl detaches it)
    class Told:   # before HTTP(S)Connection in a class's bases: its super() is theirs
        def _new_conn(self):
            sock = super()._new_conn()
            stop.opened(sock)
            return sock

        def connect(self) -> None:
            super().connect()
            stop.opened(self.sock)

    class Connection(Told, HTTPConnection):
        pass

    class SecureConnection(Told, HTTPSConnection):
        pass

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    pools = {"http": Pool, "https": SecurePool}

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            manager = super().proxy_manager_for(proxy, **proxy_kwargs)
            if not proxy.lower().startswith("socks"):   # SOCKS has connection classes of its own
                manager.pool_classes_by_scheme = pools
            return manager

    return Adapter()
