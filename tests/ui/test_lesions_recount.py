"""The Lesions list counts again only when the labels or its segment change: not on a scroll, not
while its tab is behind the Segment editor's (then once when it comes to the front)."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, raise_tab, stroke
from lesion_lists import list_of_two
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from scipy import ndimage

from neuroview.ui.edit_controller import EDITED_DELAY_MS


def _counts_started(qtbot, panel) -> list:
    """The lesion counts started from now on (once the ones under way have ended)."""
    qtbot.wait(EDITED_DELAY_MS + 100)   # an edit's refresh comes this long after it
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    started = []
    panel._jobs().started.connect(started.append)
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
