"""The View menu's show/hide entry for each of the main window's dock panels.

A panel closed with its title bar's X came back only from the right-click menu of another
panel's title (*Display*, *Segments* and *Measurements* had no View-menu entry; the editor,
*Lesions* and *Worklist* had theirs scattered among the lesion and panel keys). Slicer
(*View > Module panel*, *Data probe*...) and ITK-SNAP list their panels in the View menu: here
every dock's ``toggleViewAction`` (checked while shown) in one group, in the order the panels
sit on the right (top to bottom, tabs left to right), any dock this list does not know after.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

DOCK_ORDER = ("Display", "Segments", "Segment editor", "Lesions", "Measurements", "Worklist")
"""Object names of the window's docks, as they sit: *Display* above, then *Segments* tabbed
with *Segment editor* and *Lesions*, then *Measurements* (the *Worklist* tabbed with it)."""


def window_docks(window) -> list[QDockWidget]:
    """``window``'s own docks, in :data:`DOCK_ORDER`, the others after in the order made."""
    docks = window.findChildren(QDockWidget, options=Qt.FindDirectChildrenOnly)
    known = {dock.objectName(): dock for dock in docks}
    ordered = [known[name] for name in DOCK_ORDER if name in known]
    return ordered + [dock for dock in docks if dock not in ordered]


def install_dock_entries(window, menu, before=None) -> list:
    """Add each dock's show/hide action to ``menu`` (before the action ``before`` when given),
    between separators; returns the actions added."""
    actions = [dock.toggleViewAction() for dock in window_docks(window)]
    if before is None:
        menu.addSeparator()
        menu.addActions(actions)
    else:
        menu.insertSeparator(before)
        menu.insertActions(before, actions)
    return actions
