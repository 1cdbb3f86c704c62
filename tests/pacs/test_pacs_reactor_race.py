"""A send's answer is never taken by the association's reactor thread.

pynetdicom pauses its reactor during a ``send_*()`` with an event and a flag; on a loaded machine
the reactor, woken by the previous send's end but scheduled only after the next send began, ran
unpaused, took the C-STORE response off the queue ("Received unexpected C-STORE service message")
and the store sat out the DIMSE timeout: "went away while receiving (1 of 12 files stored)"
(3 of 107 PACS tests failed in one of two runs of tests/pacs beside two CPU burners). Here the reactor is
never paused (the race, made certain) and the send takes its answer only once the reactor has
had every chance to take it first.
"""

from __future__ import annotations

import threading
import time

import pydicom
from orthanc_server import server_config

from neuroview.io.pacs import find, store


def _reactor_never_paused(monkeypatch) -> None:
    """Every association's pause event can no longer be cleared, and a send finds the reactor
    paused at once: the reactor polls the message queue throughout each send, as in the race."""
    from pynetdicom.association import Association

    class Unpausable(threading.Event):
        def clear(self) -> None:
            pass

    start = Association.start

    def started(self):
        self._reactor_checkpoint = Unpausable()
        self._reactor_checkpoint.set()
        return start(self)

    monkeypatch.setattr(Association, "start", started)
    monkeypatch.setattr(Association, "_is_paused", property(lambda self: True, lambda self, value: None),
                        raising=False)


def _answer_left_for_the_reactor(monkeypatch) -> None:
    """A send waits for its answer to arrive, then leaves it on the queue for 1.5 s (as a sender
    thread not scheduled meanwhile) before it takes it, or finds it gone."""
    from pynetdicom.dimse import DIMSEServiceProvider

    get_msg = DIMSEServiceProvider.get_msg

    def late_get_msg(self, block: bool = False):
        if block:
            deadline = time.monotonic() + 5
            while self.msg_queue.empty() and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(1.5)
        return get_msg(self, block)

    monkeypatch.setattr(DIMSEServiceProvider, "get_msg", late_get_msg)


def test_store_and_find_keep_their_answers(empty_orthanc, small_series, monkeypatch):
    _reactor_never_paused(monkeypatch)
    _answer_left_for_the_reactor(monkeypatch)
    config = server_config(empty_orthanc, timeout=10.0)
    files = small_series.files[:2]
    assert store(config, files, protocol="dimse") == 2
    head = pydicom.dcmread(files[0], stop_before_pixels=True)
    found = find(config, "SERIES", protocol="dimse", StudyInstanceUID=str(head.StudyInstanceUID))
    assert [s["SeriesInstanceUID"] for s in found] == [str(head.SeriesInstanceUID)]
