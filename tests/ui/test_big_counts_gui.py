"""A big label map's first count is made in a worker thread; the panel shows "..." meanwhile,
then the right counts (issue #16.9: 4.5 s of np.bincount on the GUI thread)."""

from __future__ import annotations

import threading

import numpy as np
from render_cases import AFFINES
from viewer_pixels import open_case, save_case

import neuroview.ui.panels as panels

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_first_count_of_a_big_map_runs_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(panels, "BACKGROUND_COUNT_VOXELS", 1)  # every map counts as big here
    threads = []
    real = panels.count_values

    def recording(array):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(array)

    monkeypatch.setattr(panels, "count_values", recording)
    image, labels = save_case(tmp_path, "lps", AFFINES["lps"])
    open_case(qtbot, window, image, labels)
    table = window.segment_panel.table
    qtbot.waitUntil(lambda: table.rowCount() >= 1 and table.item(0, 3).text() != "...", timeout=20000)
    session = window.edit_actions.editor.session
    array = session.labels.array
    shown = {int(table.item(r, 0).data(256)): int(table.item(r, 3).text()) for r in range(table.rowCount())}
    expected = {int(v): int(np.count_nonzero(array == v)) for v in np.unique(array) if v}
    assert shown == expected and expected
    assert not any(threads)   # never counted on the GUI thread (since session 28 not at all: the
    assert session.counts.ready   # counts of a new map start known empty and follow the load's diff)
    session.counts.invalidate()   # counts unknown (a damaged journal restored): a worker counts
    window.segment_panel.refresh()
    assert table.item(0, 3).text() == "..."
    qtbot.waitUntil(lambda: table.item(0, 3).text() != "...", timeout=20000)
    assert {int(table.item(r, 0).data(256)): int(table.item(r, 3).text())
            for r in range(table.rowCount())} == expected
    assert threads and not any(threads)  # counted in a worker, never on the GUI thread
    assert session.counts.ready
