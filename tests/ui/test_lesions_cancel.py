"""Cancel on the job bar stops a Lesions list count mid-way (between two lesions measured: a brain-
sized segment took 42 s in one count on a 512x512x300 CT, and 1000 lesions 4 s, under load): the
list then holds no half count and no list of the labels before, and says how to count again."""

from __future__ import annotations

import threading

import numpy as np
from lesion_lists import list_of_two
from PySide6.QtCore import Qt

from neuroview.core.volume import Volume
from neuroview.ui import lesions_panel


def test_cancel_mid_count_leaves_no_half_list(qtbot, window, tmp_path, monkeypatch):
    volume, session, segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    release, measured, real = threading.Event(), [], lesions_panel.segment_components

    def held(*args, progress=None, **kwargs):
        def hold(done, total, text):
            measured.append(done)
            progress(done, total, text)
            if done >= 1:        # one lesion measured of three: held here until Cancel
                release.wait(30)
        return real(*args, progress=hold, **kwargs)

    monkeypatch.setattr(lesions_panel, "segment_components", held)
    array = session.labels.array.copy()
    array[40:43, 5:8, 2:5] = segment.value          # a third lesion: the list counts again
    session.load_label_volume(Volume(array, session.volume.ijk_to_ras))
    qtbot.waitUntil(lambda: bool(measured) and measured[-1] >= 1, timeout=10000)
    # on the status bar's job bar once it has run half a second (not for each short count)
    qtbot.waitUntil(lambda: window.jobs.shown is not None and window.jobs.shown.label == "Lesion list"
                    and window.jobs.cancel_button.isVisibleTo(window), timeout=5000)
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not panel.busy, timeout=10000)
    assert max(measured) == 1                        # stopped after the lesion under way
    assert panel.table.rowCount() == 0 and panel.components == []
    assert panel.summary.text() == lesions_panel.CANCELLED
    monkeypatch.setattr(lesions_panel, "segment_components", real)
    panel.segment_box.activated.emit(panel.segment_box.currentIndex())   # as the label says
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=10000)
    assert sorted(c.voxels for c in panel.components) == sorted(
        [int(big.sum()), int(small.sum()), 27])
    assert np.array_equal(session.labels.array, array)
