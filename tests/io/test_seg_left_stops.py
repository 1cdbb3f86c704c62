"""The work a Cancel leaves behind in a DICOM SEG's save or read stops at once, within the library
call it is in (``core.stoppable``): highdicom's build, pydicom's write and the header's parse ran
on to their end (seconds of the processor for a CT's SEG) until session 45. Each library call is
replaced here by pure Python work of 10 s that looks at nothing; it must end within 5 s of the Cancel
(0.5 s until session 45: a loaded machine's pauses), leaving no temporary and the SEG saved before
as it was."""

from __future__ import annotations

import threading
import time

import highdicom as hd
import pytest

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken, wait_abandoned
from neuroview.io import seg as seg_io
from tests.io.seg_axial import saved_seg

LONG = 10.0
PROMPT_S = 5.0


@pytest.fixture
def saved(tmp_path):
    return saved_seg(tmp_path, 4, 16, 12)


def _long(monkeypatch, owner, name: str):
    """``owner.name`` made a pure Python loop of ``LONG`` seconds: (started, ended) events and the
    time it ended."""
    started, ended, times = threading.Event(), threading.Event(), []

    def busy(*args, **kwargs):
        started.set()
        try:
            end = time.perf_counter() + LONG
            while time.perf_counter() < end:
                pass
        finally:
            times.append(time.perf_counter())
            ended.set()
        raise AssertionError("ran to its end")

    monkeypatch.setattr(owner, name, busy)
    return started, ended, times


def _cancelled(call, started) -> float:
    """``call()`` cancelled as the long work starts: the time of the Cancel."""
    token, sent = CancelToken(), []

    def cancel():
        started.wait(30)
        sent.append(time.perf_counter())
        token.cancel()

    threading.Thread(target=cancel, daemon=True).start()
    with pytest.raises(Cancelled):
        call(token)
    return sent[0]


@pytest.mark.parametrize("held", ["the build", "the write"])
def test_a_cancelled_save_stops_within_the_library_call(saved, monkeypatch, held):
    labels, headers, path, before = saved
    owner, name = (hd.seg, "Segmentation") if held == "the build" else (hd.seg.Segmentation, "save_as")
    started, ended, times = _long(monkeypatch, owner, name)
    sent = _cancelled(lambda token: seg_io.save_seg(labels, headers, path, cancel=token), started)
    assert wait_abandoned(LONG + 5)
    assert times[0] - sent < PROMPT_S, f"{held} ran {times[0] - sent:.2f} s after the Cancel"
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert path.read_bytes() == before


def test_a_cancelled_read_stops_within_highdicoms_parse(saved, monkeypatch):
    path = saved[2]
    started, ended, times = _long(monkeypatch, hd.seg.Segmentation, "from_dataset")
    sent = _cancelled(lambda token: seg_io.load_seg_placed(path, cancel=token), started)
    assert wait_abandoned(LONG + 5)
    assert times[0] - sent < PROMPT_S, f"the parse ran {times[0] - sent:.2f} s after the Cancel"
