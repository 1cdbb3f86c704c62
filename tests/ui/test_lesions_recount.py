"""The Lesions list counts again only when the labels or its segment change: not on a scroll, not
while its tab is behind the Segment editor's (then once when it comes to the front)."""

from __future__ import annotations

import time

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, raise_tab, stroke
from lesion_lists import list_of_two
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from scipy import ndimage

from neuroview.ui.edit_controller import EDITED_DELAY_MS

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _counts_started(qtbot, panel) -> list:
    """The lesion counts started from now on (once the ones under way have ended)."""
    qtbot.wait(EDITED_DELAY_MS + 100)   # an edit's refresh comes this long after it
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    started = []
    panel.jobs().started.connect(started.append)
    return started


def _scroll(qtbot, window, steps: int) -> None:
    view = window.slice_views["axial"]
    centre = QPointF(view.width() / 2, view.height() / 2)
    before = window.controller.state.crosshair_ras.copy()
    for _ in range(steps):
        QApplication.sendEvent(view, QWheelEvent(
            centre, view.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120), Qt.NoButton,
            Qt.NoModifier, Qt.NoScrollPhase, False))
        qtbot.wait(5)
    assert not np.allclose(window.controller.state.crosshair_ras, before)   # it did scroll


def _paint_picked(window, session) -> None:
    """The Paint tool picked (which brings the Segment editor's tab to the front)."""
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=3, mode="2d")


def _paint_a_third(window) -> None:
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [4.0, 0, 0]])


def _right(panel, session, value) -> bool:
    """The list holds the segment's 26-connected components, by their voxels."""
    found, n = ndimage.label(session.labels.array == value, np.ones((3, 3, 3), bool))
    sizes = sorted(np.bincount(found.ravel())[1:].tolist())
    return (panel.table.rowCount() == n
            and sorted(c.voxels for c in panel.components) == sizes)


def test_a_scroll_counts_nothing_and_a_stroke_counts_once(qtbot, window, tmp_path):
    volume, session, segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    _paint_picked(window, session)
    qtbot.wait(200)   # the editor's dock fits its options (Measurements behind its tabs)
    raise_tab(qtbot, window, "Lesions")   # painting with the list in sight
    started = _counts_started(qtbot, panel)
    assert panel.on_screen()
    _scroll(qtbot, window, 20)
    qtbot.wait(EDITED_DELAY_MS + 100)
    assert started == []
    _paint_a_third(window)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=5000)
    qtbot.wait(EDITED_DELAY_MS + 100)
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    assert len(started) == 1
    assert _right(panel, session, segment.value)


def test_behind_the_editor_tab_it_counts_when_shown(qtbot, window, tmp_path):
    volume, session, segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    _paint_picked(window, session)   # the Segment editor's tab comes to the front
    started = _counts_started(qtbot, panel)
    _paint_a_third(window)
    qtbot.wait(EDITED_DELAY_MS + 200)
    assert started == []   # behind the tab: nobody sees the list
    assert panel.table.rowCount() == 2
    raise_tab(qtbot, window, "Lesions")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=5000)
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    assert len(started) == 1
    assert _right(panel, session, segment.value)


def test_a_burst_of_strokes_runs_one_count_at_a_time(qtbot, window, tmp_path, monkeypatch):
    """20 strokes, each followed by its refresh (the edited signal), faster than a count: one
    count runs and one waits, the newest (each stroke started its own count before session 41,
    two at once on the pool, the older ones' answers dropped); the list ends right."""
    from neuroview.ui import lesions_panel

    volume, session, segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    raise_tab(qtbot, window, "Lesions")
    started = _counts_started(qtbot, panel)
    running, most = [0], [0]
    real = lesions_panel.segment_components

    def slow_count(*args, **kwargs):   # the real count, long enough to overlap the strokes
        running[0] += 1
        most[0] = max(most[0], running[0])
        try:
            time.sleep(0.2)
            return real(*args, **kwargs)
        finally:
            running[0] -= 1

    monkeypatch.setattr(lesions_panel, "segment_components", slow_count)
    begun = time.monotonic()
    for n in range(20):   # dots 4 voxels apart along i: each its own lesion
        at = volume.ijk_to_ras @ np.array([4.0 + 2 * n, 40.0, 30.0, 1.0])
        session.apply("paint", at_ras=at[:3], radius_mm=1.0, mode="2d", segment=segment.value)
        window.editor.labels_edited.emit()
        qtbot.wait(10)
    qtbot.waitUntil(lambda: not panel.busy and _right(panel, session, segment.value), timeout=20000)
    burst = time.monotonic() - begun
    assert panel.table.rowCount() == 22
    print(f"counts started {len(started)}, at most {most[0]} at once, burst {burst:.2f} s")
    assert most[0] == 1 and len(started) <= 2 + burst / 0.2   # one at a time, each 0.2 s or more
