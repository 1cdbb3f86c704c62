"""A slice view's right-click menu, as 3D Slicer's and ITK-SNAP's views offer one: a right click
that does not drag (a right drag zooms) opens it where the pointer is. It holds the window's own
actions, so each shows its key: this view alone or back to the layout (double-click), *Reset
views* (Ctrl+R), the window presets (1-7, 0), the mouse tools (N, F2-F5) and *Export view as
PNG...* (Ctrl+E, this view). Not in AI click, where a right click is an exclude prompt."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu


def view_menu(window, plane: str) -> QMenu:
    """The menu for ``plane``'s view of ``window`` (its actions are the window's, not copies)."""
    menu = QMenu(window)
    state = window.controller.state
    alone = state is not None and state.maximised == plane
    back = "Back to the layout" if alone else "This view alone"
    menu.addAction(f"{back} (double-click)", lambda: window.controller.toggle_maximised(plane))
    menu.addAction(window.reset_action)
    presets = menu.addMenu("Window preset")
    presets.addActions(list(window.preset_actions.values()))
    menu.addSeparator()
    menu.addActions(list(window.mode_actions.values()))
    menu.addSeparator()
    menu.addAction(window.export_view_action)
    return menu


def open_view_menu(window, plane: str, global_pos) -> QMenu:
    """Show the menu at ``global_pos`` (not blocking: the window goes on drawing); kept on the
    window as ``view_menu`` until the next one."""
    old = getattr(window, "view_menu", None)
    if old is not None:
        old.deleteLater()
    window.controller.active_view = plane   # Export view... exports this one
    window.view_menu = view_menu(window, plane)
    window.view_menu.popup(global_pos)
    return window.view_menu
