"""An oversized C-STORE is cut short while it arrives (#trust 3): a real pynetdicom peer sends a
3 MiB instance to neuroview's receiver under a 2 MiB bound, by C-MOVE (the peer's storage SCU
connects to neuroview's move port) and by C-GET. The association is aborted once the bound is
passed, the disk never held more than the bound plus one PDU, the temporary file is gone, one line
says what happened, and the next honest instance is received. The line comes promptly, not after the
configured DIMSE timeout: a C-GET used to sit that timeout out after its own abort (no wait for a
DIMSE message may end by its timeout: ``dimse_timeouts``, not a measured time)."""

from __future__ import annotations

import os
import tempfile

import pydicom
import pytest
from fake_qr import free_port, start_qr_scp
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pynetdicom import dimse_messages

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, retrieve

STUDY = "1.2.826.0.1.3680043.2.1125.71"
BIG_SERIES, SMALL_SERIES = "1.2.826.0.1.3680043.2.1125.72", "1.2.826.0.1.3680043.2.1125.73"
PDU = 16382
"""The largest PDU neuroview's AE accepts (pynetdicom's default maximum_pdu_size)."""
TIMEOUT = 60.0
"""The configured DIMSE/ACSE timeout: the aborted retrieval must not wait it out."""


def _instance(series_uid: str, number: int, extra_bytes: int = 0) -> Dataset:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.StudyInstanceUID, ds.SeriesInstanceUID = STUDY, series_uid
    ds.SOPInstanceUID = f"{series_uid}.{number}"
    if extra_bytes:
        ds.add_new(0x00090010, "LO", "NEUROVIEW TEST")
        ds.add_new(0x00091010, "OB", bytes(extra_bytes))
    return ds


@pytest.fixture
def fake_pacs():
    """A pynetdicom Q/R SCP answering C-FIND, C-GET and C-MOVE for two series: one instance of
    3 MiB, one honest instance. Yields (port, server AE); C-MOVE goes to ``fake_pacs.move_to``."""
    series = {BIG_SERIES: [_instance(BIG_SERIES, 1, 3 << 20)], SMALL_SERIES: [_instance(SMALL_SERIES, 1)]}
    moves = {}

    def wanted(identifier) -> list:
        return series.get(str(identifier.get("SeriesInstanceUID", "")), [])

    def on_find(event):
        found = wanted(event.identifier)
        answer = Dataset()
        answer.QueryRetrieveLevel = "SERIES"
        answer.StudyInstanceUID = STUDY
        answer.SeriesInstanceUID = str(event.identifier.SeriesInstanceUID)
        answer.NumberOfSeriesRelatedInstances = len(found)
        yield 0xFF00, answer

    def on_get(event):
        found = wanted(event.identifier)
        yield len(found)
        for ds in found:
            yield 0xFF00, ds

    def on_move(event):
        found = wanted(event.identifier)
        yield "127.0.0.1", moves["port"]
        yield len(found)
        for ds in found:
            yield 0xFF00, ds

    server, port = start_qr_scp("FAKEPACS", on_find, on_get, on_move)
    yield port, moves
    server.shutdown()


@pytest.mark.parametrize("how", ["move", "get"])
def test_an_oversized_c_store_is_aborted_as_it_arrives(fake_pacs, how, tmp_path, monkeypatch, dimse_timeouts):
    port, moves = fake_pacs
    moves["port"] = free_port() if how == "move" else 0
    config = ServerConfig(name="fake", host="127.0.0.1", port=port, called_aet="FAKEPACS",
                          calling_aet="NEUROVIEW", timeout=TIMEOUT, move_port=moves["port"])
    incoming = tmp_path / "tmp"  # where pynetdicom writes a C-STORE as its fragments arrive
    incoming.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(incoming))
    monkeypatch.setenv("NEUROVIEW_MEMORY_LIMIT", "4M")  # one instance may take 2 MiB
    written = []  # bytes pynetdicom wrote to each temporary file, whatever became of it
    real_temporary_file = dimse_messages.NamedTemporaryFile

    class Counted:
        def __init__(self, *args, **kwargs):
            self._file = real_temporary_file(*args, **kwargs)
            self._index = len(written)
            written.append(0)

        def write(self, data):
            written[self._index] += len(data)
            return self._file.write(data)

        def __getattr__(self, name):
            return getattr(self._file, name)

    monkeypatch.setattr(dimse_messages, "NamedTemporaryFile", Counted)
    cache = SeriesCache(tmp_path / "cache")
    with pytest.raises(PacsError) as info:
        retrieve(config, STUDY, BIG_SERIES, cache, protocol="dimse")
    assert dimse_timeouts == [], f"the aborted {how} sat out its DIMSE timeout"
    message = str(info.value)
    assert message.startswith("fake (FAKEPACS@127.0.0.1:") and "\n" not in message
    assert "sent an instance bigger than the 2.0 MB neuroview reads with the memory available: " \
           "the transfer was aborted after 2.0 MB" in message
    (held,) = written  # the bound plus one PDU at most (+ preamble and file meta), not 3 MiB
    assert 2 << 20 < held <= (2 << 20) + PDU + 1024
    assert os.listdir(incoming) == [] and cache.lookup(BIG_SERIES) is None

    folder = retrieve(config, STUDY, SMALL_SERIES, cache, protocol="dimse")  # the next one is kept
    (kept,) = folder.glob("*.dcm")
    assert pydicom.dcmread(kept).SOPInstanceUID == f"{SMALL_SERIES}.1"
    assert os.listdir(incoming) == []
