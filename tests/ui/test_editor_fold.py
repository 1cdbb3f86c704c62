"""At 1600x1000 the Segment editor shows the picked tool's options and Apply without scrolling:
the segment list stretched over the dock's room and the dock was about 450 pixels tall, so the
options and Apply lay below its fold (session 32's walk). The list now shrinks first (to two
rows, then it scrolls), and picking a tool grows the dock from its neighbours when the options
do not fit."""

from __future__ import annotations

import pytest
from editor_helpers import open_image, wait_for_session, write_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from small_screens import below_the_fold, launched_window


@pytest.mark.parametrize("width, height", [(1600, 1000), (1366, 768)])
def test_every_tool_shows_its_options_and_apply(qtbot, monkeypatch, tmp_path, width, height):
    """At 1366x768 the options and Apply of Paint, Fill, Islands and Threshold lay about 110
    pixels below the fold; the Measurements dock now goes behind the editor's tabs there, and the
    Display panel stays whole."""
    window = launched_window(qtbot, monkeypatch, width, height)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    for name in ("brain", "lesion", "edema"):   # the list shrinks first (it scrolls), not the options
        session.segments.add(name)
    panel = window.edit_actions.panel
    scroll = window.edit_actions.dock.widget()
    for tool, button in panel.tool_buttons.items():
        qtbot.mouseClick(button, Qt.LeftButton)
        page = panel.stack.currentWidget()
        shown = [w for w in (panel.apply_button, page) if w.isVisible()]
        qtbot.waitUntil(lambda s=shown: all(below_the_fold(panel, w) == 0 for w in s), timeout=10000)
        assert scroll.verticalScrollBar().value() == 0, tool
        assert not panel.visibleRegion().isEmpty(), tool   # the editor's tab is the one in front
    assert panel.threshold.mask_button.isVisible()
    assert below_the_fold(panel, panel.threshold.mask_button) == 0
    table = panel.table   # at least two rows of the list are seen
    assert table.viewport().height() >= 2 * table.verticalHeader().defaultSectionSize()
    display = window.findChild(QDockWidget, "Display").widget()
    assert display.height() >= display.widget().sizeHint().height()   # whole, not scrolled
    measurements = window.findChild(QDockWidget, "Measurements")
    tabbed = measurements in window.tabifiedDockWidgets(window.edit_actions.dock)
    assert tabbed == (height < 1000)   # where the room is, it stays below, as it was
    window.measurements.add("Ruler: 12.3 mm")
    assert not measurements.visibleRegion().isEmpty()   # a measurement shows its tab
    assert tabbed or not window.edit_actions.dock.visibleRegion().isEmpty()   # below, it stays
