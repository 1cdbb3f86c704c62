"""A TCP proxy on 127.0.0.1 in front of the tests' Orthanc: what a network between the viewer and
the server does wrong, made on purpose (a drop, a stall)."""

from __future__ import annotations

import socket
import threading


class TcpProxy:
    """Forwards TCP on ``address`` to ``port``, each way in a thread of its own; :meth:`cut`
    closes the connections open (the server gone, as a network drop makes it), new ones are
    forwarded again. A subclass changes what comes back with :meth:`from_server`."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sockets: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.port))
            self.sockets += [client, server]
            threading.Thread(target=forward, args=(client, server), daemon=True).start()
            threading.Thread(target=self.from_server, args=(server, client), daemon=True).start()

    def from_server(self, source: socket.socket, sink: socket.socket) -> None:
        """The server's bytes to the viewer: all of them, as they come."""
        forward(source, sink)

    def cut(self) -> None:
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self.sockets = []

    def close(self) -> None:
        self.cut()
        self.listener.close()


def forward(source: socket.socket, sink: socket.socket) -> None:
    """Everything ``source`` sends, to ``sink``, until it closes (or either fails)."""
    try:
        while data := source.recv(16384):
            sink.sendall(data)
    except OSError:
        pass
