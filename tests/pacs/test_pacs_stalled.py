"""A network that stops carrying data in the middle of a retrieval (a cable pulled, a VPN or NAT
dropping the flow: the connection stays open, nothing more arrives): the retrieval ends after the
server's timeout with one line, keeping nothing. Until session 39 it hung for good when the stall
came in the middle of a PDU: pynetdicom reads a PDU's body with no timeout on the socket, and its
abort after the DIMSE timeout waits for that read to end (the status bar busy, Cancel no help)."""

from __future__ import annotations

import re
import socket

import pytest
from orthanc_server import server_config
from pacs_ended import NO_ERROR, run_to_end
from pacs_series import uids
from series_maker import SeriesSpec, write_series
from tcp_proxy import TcpProxy

from neuroview.io.pacs import SeriesCache, retrieve, store
from neuroview.io.pacs.cache import kept_for_retry


class StallingProxy(TcpProxy):
    """A :class:`TcpProxy` passing from the server ``after`` bytes, then nothing (the connection
    kept open: the stall a lost network makes), or with ``close`` the connection closed. With
    ``whole_pdus`` the PDU under way when ``after`` bytes have passed is forwarded whole: the stop
    falls between two PDUs."""

    def __init__(self, port: int, after: int, *, whole_pdus: bool = False, close: bool = False) -> None:
        self.after, self.whole_pdus, self.close_at_stop = after, whole_pdus, close
        super().__init__(port)

    def from_server(self, source, sink) -> None:
        budget = self.after
        try:
            while budget > 0:
                data = self._pdu(source) if self.whole_pdus else source.recv(min(16384, budget))
                if not data:
                    return
                sink.sendall(data)
                budget -= len(data)
            if self.close_at_stop:   # (a shutdown: a close alone waits for the other thread's recv)
                for sock in (sink, source):
                    sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    @staticmethod
    def _pdu(source) -> bytes:
        """One whole PDU (its 6-byte header says its length); b"" when the server closed."""
        def exactly(count: int) -> bytes:
            data = b""
            while len(data) < count:
                part = source.recv(count - len(data))
                if not part:
                    return b""
                data += part
            return data

        head = exactly(6)
        return head + exactly(int.from_bytes(head[2:6], "big")) if head else b""


@pytest.fixture
def bigger_series(tmp_path, mni_volume):
    """24 images of 64 x 56 (about 8 kB each): a stall after 60 kB falls mid-transfer."""
    return write_series(tmp_path / "t1", mni_volume, SeriesSpec(rows=64, cols=56, n_slices=24,
                                                                description="T1 stall test"))


def _retrieve_through(proxy: StallingProxy, orthanc, series, tmp_path, timeout: int = 2) -> tuple[str, float]:
    """What a retrieval through ``proxy`` (``timeout`` s) ended with, and how long it took."""
    store(server_config(orthanc), [series.folder])
    study_uid, series_uid = uids(series)
    config = server_config(orthanc, port=proxy.address, url="", timeout=timeout)
    cache = SeriesCache(tmp_path / "cache")
    # proxy.close() lets a hung retrieval go (before session 39's fix), so the session ends
    said, took = run_to_end(lambda: retrieve(config, study_uid, series_uid, cache), 30, proxy.close)
    assert said is not None, f"the retrieval still ran {took:.0f} s after the network stalled ({timeout} s)"
    assert said != NO_ERROR
    # no partial folder left; the images received kept for a retry (session 48: none were)
    received = int(re.search(r"\((\d+) of \d+ images? received\)", said).group(1))
    assert said.endswith(kept_for_retry(received) + ("" if received else ", try again"))
    assert "\n" not in said
    assert SeriesCache(tmp_path / "cache").kept(series_uid) == received
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f".kept-{series_uid}"] * bool(received)
    return said, took


def test_a_stalled_network_ends_the_retrieval_after_the_timeout(empty_orthanc, bigger_series,
                                                               tmp_path):
    proxy = StallingProxy(empty_orthanc.dicom_port, after=60_001)   # mid-PDU
    said, took = _retrieve_through(proxy, empty_orthanc, bigger_series, tmp_path)
    assert took < 20
    # said as a stall, not as a server that closed the connection ("went away" until session 40)
    assert "stopped answering after 2 s during the transfer" in said, said


def test_a_stall_between_two_messages_is_said_as_a_stall(empty_orthanc, bigger_series, tmp_path):
    """The stall after a whole PDU: pynetdicom waits for the next message (its DIMSE timeout),
    not in the middle of a read."""
    proxy = StallingProxy(empty_orthanc.dicom_port, after=60_001, whole_pdus=True)
    said, took = _retrieve_through(proxy, empty_orthanc, bigger_series, tmp_path)
    assert took < 20
    assert "stopped answering after 2 s during the transfer" in said, said


def test_a_closed_connection_is_said_as_gone(empty_orthanc, bigger_series, tmp_path):
    proxy = StallingProxy(empty_orthanc.dicom_port, after=60_001, close=True)
    said, took = _retrieve_through(proxy, empty_orthanc, bigger_series, tmp_path, timeout=20)
    # at once, not after the timeout: 20 s here (2 s, with 1.8 s for the whole retrieval, until
    # session 45: within a loaded machine's pauses)
    assert took < 10
    assert "went away during the transfer" in said and "stopped answering" not in said, said
