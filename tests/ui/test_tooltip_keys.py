"""The tool bar's buttons name their keys in their tooltips, as the menus do beside each command
(and 3D Slicer's tool bars): until session 31 hovering *Navigate* showed "Navigate", *Next case*
its sentence with no word of Ctrl+N."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QToolBar, QToolTip


def shown_tooltip(qtbot, widget) -> str:
    """What hovering ``widget`` shows: the tooltip Qt pops up on its help event."""
    centre = widget.rect().center()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.ToolTip, centre, widget.mapToGlobal(centre)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=10000)
    return QToolTip.text()


def test_tool_bar_tooltips_name_the_keys(qtbot, window):
    bar = window.findChild(QToolBar, "mouse-mode")
    with_keys = [a for a in bar.actions() if a.shortcuts()]
    assert {a.text().replace("&", "") for a in with_keys} >= {
        "Navigate", "Window/level", "Ruler", "Next case", "Send to training set...",
        "Segment with a model..."}
    for action in with_keys:
        keys = ", ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts())
        button = bar.widgetForAction(action)
        assert button.toolTip().endswith(f"({keys})"), (action.text().replace("&", ""), button.toolTip())
    navigate = bar.widgetForAction(window.mode_actions["navigate"])
    assert shown_tooltip(qtbot, navigate) == "Navigate (N, F1)"
    nxt = bar.widgetForAction(window.training_actions.next_action)
    assert shown_tooltip(qtbot, nxt).startswith("Next case of the worklist")
    assert QToolTip.text().endswith("(Ctrl+N)")
    qtbot.mouseMove(window.slice_views["axial"], QPoint(20, 20))
