"""A DICOM association whose thread has not ended when a retrieval (or an abort) has waited its
time for it is said in one warning line, with no identifiers: ``assoc.join(timeout)``'s end was
not looked at, and a retrieval went on to remove its partial file while the thread could still
be writing it, silently."""

from __future__ import annotations

import logging
import threading

from pynetdicom.association import Association

from neuroview.io.pacs.association import join_association


def test_an_association_thread_that_runs_on_is_said_in_one_line(caplog):
    assert issubclass(Association, threading.Thread)    # what the stand-in below stands for
    release = threading.Event()
    reader = threading.Thread(target=release.wait, args=(10,), daemon=True)
    reader.start()
    with caplog.at_level(logging.WARNING, logger="neuroview.io.pacs.association"):
        ended = join_association(reader, 0.05, "the retrieval ended")
        release.set()
        assert join_association(reader, 10, "the retrieval ended")   # it ends: nothing said
    assert ended is False
    assert [r.getMessage() for r in caplog.records] == [
        "a DICOM association's thread still runs 0.05 s after the retrieval ended"]
