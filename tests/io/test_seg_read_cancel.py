"""Cancel reaches the read of a DICOM SEG (*Load labels* of a SEG, ``convert --labels``): the
read runs on a thread of its own that the caller stops waiting for, so a Cancel during the
header's parse (pydicom and highdicom, one call of 1.7 s for a CT's SEG in session 43) returns at
once, and the read left behind stops before its next frame. Cancelled, nothing is returned
(the window's labels stay as they were: its worker applies nothing)."""

from __future__ import annotations

import threading

import highdicom as hd
import numpy as np
import pytest

from neuroview.app.label_files import prepare_label_file
from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken, wait_abandoned
from neuroview.io import load
from neuroview.io import seg as seg_io
from tests.io.ct_seg import series_with_seg


@pytest.fixture
def series_seg(tmp_path):
    folder, path, mask, _ = series_with_seg(tmp_path)
    return load(folder), path, mask


def test_cancel_during_the_header_parse_returns_without_waiting(series_seg, monkeypatch):
    volume, path, _mask = series_seg
    started, release, ended = threading.Event(), threading.Event(), threading.Event()

    def held_parse(_path):   # pydicom's and highdicom's parse, one call the caller cannot stop
        started.set()
        release.wait(30)
        ended.set()
        raise RuntimeError("dropped: the caller stopped waiting")

    monkeypatch.setattr(seg_io, "read_segmentation", held_parse)
    token = CancelToken()
    threading.Thread(target=lambda: started.wait(30) and token.cancel(), daemon=True).start()
    try:
        with pytest.raises(Cancelled):
            prepare_label_file(path, volume, None, token)
        assert started.is_set() and not ended.is_set()
    finally:
        release.set()
        assert wait_abandoned(30)


def test_the_read_left_behind_stops_before_its_next_frame(series_seg, monkeypatch):
    volume, path, mask = series_seg
    token, read = CancelToken(), []
    stored_frame = hd.seg.Segmentation.get_stored_frame

    def counted(self, *args, **kwargs):
        read.append(1)
        if len(read) == 3:
            token.cancel()
        return stored_frame(self, *args, **kwargs)

    monkeypatch.setattr(hd.seg.Segmentation, "get_stored_frame", counted)
    with pytest.raises(Cancelled):
        prepare_label_file(path, volume, None, token)
    assert wait_abandoned(30)
    assert len(read) == 3   # of its 16 frames (2 segments on 8 slices)
    monkeypatch.undo()
    whole = prepare_label_file(path, volume, None, CancelToken())
    np.testing.assert_array_equal(whole.array, mask)


def test_compare_readers_stops_a_local_seg_read_under_way(series_seg, monkeypatch):
    """*Compare readers* looked at Cancel before each local SEG read only; the Cancel is now
    raised from within the read, not counted as a SEG that could not be read."""
    from neuroview.io.pacs.readers import local_reader_versions

    volume, path, _mask = series_seg
    started, release = threading.Event(), threading.Event()

    def held_parse(_path):
        started.set()
        release.wait(30)
        raise RuntimeError("dropped: the caller stopped waiting")

    monkeypatch.setattr(seg_io, "read_segmentation", held_parse)
    token, problems = CancelToken(), []
    threading.Thread(target=lambda: started.wait(30) and token.cancel(), daemon=True).start()
    try:
        with pytest.raises(Cancelled):
            local_reader_versions([path.parent], volume.source_metadata["SeriesInstanceUID"], volume,
                                  problems=problems, cancel=token)
        assert problems == []
    finally:
        release.set()
        assert wait_abandoned(30)
