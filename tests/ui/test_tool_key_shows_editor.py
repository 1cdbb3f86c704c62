"""A tool picked by its key brings the Segment editor's tab to the front. At 1366x768 the editor
shares a tabbed dock with Measurements (``editor_fold``), and a measurement added brings that tab
forward; pressing P then picked Paint with its options unseen behind Measurements."""

from __future__ import annotations

from editor_helpers import activate, open_image, shortcut, wait_for_session, write_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from small_screens import launched_window


def seen(widget) -> bool:
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def test_a_tool_key_brings_the_editor_forward_at_1366x768(qtbot, monkeypatch, tmp_path):
    window = launched_window(qtbot, monkeypatch, 1366, 768)
    activate(qtbot, window)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("lesion")
    panel, dock = window.edit_actions.panel, window.edit_actions.dock
    measurements = window.findChild(QDockWidget, "Measurements")
    qtbot.mouseClick(panel.tool_buttons["fill"], Qt.LeftButton)   # the short screen: tabbed
    qtbot.waitUntil(lambda: measurements in window.tabifiedDockWidgets(dock), timeout=3000)
    for key, tool, option in ((Qt.Key_P, "paint", "radius_mm"), (Qt.Key_F, "fill", "mode"),
                              (Qt.Key_T, "threshold", "low"), (Qt.Key_E, "erase", "segment")):
        window.measurements.add("Ruler: 12.3 mm")   # a measurement shows its tab, as it should
        qtbot.waitUntil(lambda: seen(measurements.widget()) and not seen(panel), timeout=3000)
        shortcut(qtbot, window, key)
        assert panel.tool == tool
        qtbot.waitUntil(lambda t=tool, o=option: seen(panel.option_widgets[t][o]), timeout=3000)
        assert not seen(measurements.widget())
    window.measurements.add("Ruler: 4.5 mm")
    qtbot.waitUntil(lambda: not seen(panel), timeout=3000)
    shortcut(qtbot, window, Qt.Key_E, Qt.ShiftModifier)   # Shift+E: every segment, the erase brush
    assert panel.tool == "erase" and session.params["erase"].segment == "all"
    qtbot.waitUntil(lambda: seen(panel.option_widgets["erase"]["segment"]), timeout=3000)

