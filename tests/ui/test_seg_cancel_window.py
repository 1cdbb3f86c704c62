"""The job bar's *Cancel* during *Save labels as DICOM SEG* and *Load labels* of a SEG ends the
job at once, while highdicom still builds the SEG or parses its header (one call of seconds for a
CT's SEG, which the job waited for until session 44): the SEG saved before stays byte for byte
with nothing beside it, and the labels on screen stay as they were."""

from __future__ import annotations

import highdicom as hd
import numpy as np
import pytest
from editor_helpers import paint_a_dicom_series, save_and_wait
from PySide6.QtCore import Qt

from neuroview.core.jobs import wait_abandoned
from neuroview.io import seg as seg_io
from tests.held_call import hold


@pytest.fixture
def held(monkeypatch):
    """Hold ``owner.name`` (a library call the job cannot stop midway) until released."""
    events = []

    def hold_call(owner, name: str):
        started, release, ended = hold(monkeypatch, owner, name)
        events.append(release)
        return started, ended

    yield hold_call
    for release in events:
        release.set()
    assert wait_abandoned(30)


def _cancel_when(qtbot, window, started) -> None:
    qtbot.waitUntil(started.is_set, timeout=20000)
    qtbot.waitUntil(window.jobs.cancel_button.isVisible, timeout=10000)
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)


def test_cancel_during_the_seg_build_keeps_the_seg_saved_before(qtbot, window, tmp_path, held):
    session = paint_a_dicom_series(qtbot, window, tmp_path)
    path = save_and_wait(window, tmp_path / "out" / "mask.dcm", seg=True)
    before = path.read_bytes()
    session.labels.array[session.labels.array == 1] = 0   # an edit since
    started, ended = held(hd.seg, "Segmentation")
    window.edit_actions.save_seg(path)
    _cancel_when(qtbot, window, started)
    qtbot.waitUntil(lambda: window.notice_bar.text.startswith("Save cancelled: "), timeout=10000)
    assert "was not written (a file already there is unchanged)" in window.notice_bar.text
    assert not ended.is_set()   # said while highdicom still held the build
    assert [p.name for p in path.parent.iterdir()] == ["mask.dcm"]
    assert path.read_bytes() == before


def test_cancel_during_the_seg_read_leaves_the_labels_as_they_were(qtbot, window, tmp_path, held):
    session = paint_a_dicom_series(qtbot, window, tmp_path)
    path = save_and_wait(window, tmp_path / "out" / "mask.dcm", seg=True)
    session.labels.array[session.labels.array == 1] = 0
    shown, names = session.labels.array.copy(), [s.name for s in session.segments]
    started, ended = held(seg_io, "read_segmentation")
    window.edit_actions.load_labels(path, replace=True)
    _cancel_when(qtbot, window, started)
    qtbot.waitUntil(lambda: not window.jobs.cancel_button.isVisible(), timeout=10000)
    assert not ended.is_set()   # the job ended while the parse was still held
    np.testing.assert_array_equal(session.labels.array, shown)
    assert [s.name for s in session.segments] == names
