"""A slice view's right-click menu, as 3D Slicer's and ITK-SNAP's views offer one: a right click
that does not drag (a right drag zooms) opens it where the pointer is. It holds the window's own
actions, so each shows its key: this view alone or back to the layout (double-click), *Reset
views* (Ctrl+R), the window presets (1-7, 0), the mouse tools (N, F2-F5, F7) and *Export view as
PNG...* (Ctrl+E, this view). Not in AI click, where a right click is an exclude prompt. A right
click on a ruler, an angle or an ellipse selects it and offers *Delete* first, as Slicer's menu
on a markup does (one undo step, as the Delete key's; none had it until session 48); on a 4D
run's ellipse or rectangle *Mean over time...* next (its time-intensity curve, session 51).

The 3D view's menu holds what Slicer's 3D view offers: this view alone or back, *Reset camera*
(R), *Look from* the six sides (Slicer's A/P/L/R/S/I buttons), *Volume rendering*, *Segment
surfaces* and *Slice planes in 3D* on or off (the Display panel's boxes, which follow), and
*Export view as PNG...*."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ..app.view_measure import DrawnRegion
from .mnemonics import give_mnemonics
from .region_curve_dialog import show_region_curve


def _alone_menu(window, plane: str) -> QMenu:
    """A menu whose first item puts ``plane``'s view alone on screen, or back in the layout."""
    menu = QMenu(window)
    state = window.controller.state
    alone = state is not None and state.maximised == plane
    back = "Back to the layout" if alone else "This view alone"
    menu.addAction(f"{back} (double-click)", lambda: window.controller.toggle_maximised(plane))
    return menu


def _box_action(menu: QMenu, box) -> None:
    """A ticked item that clicks the Display panel's ``box`` (as the user's own click)."""
    action = menu.addAction(box.text(), box.click)
    action.setCheckable(True)
    action.setChecked(box.isChecked())


def view3d_menu(window) -> QMenu:
    """The 3D view's menu (see the module's note)."""
    from ..render.volume3d import SIDES  # VTK: not at the window's start

    view3d, panel = window.view3d, window.display_panel
    menu = _alone_menu(window, "3d")
    menu.addAction("Reset camera (R)", view3d.reset_camera)
    sides = menu.addMenu("Look from")
    for side in SIDES:
        sides.addAction(side, lambda side=side: view3d.reset_camera(side))
    menu.addSeparator()
    _box_action(menu, panel.volume3d_check)
    surfaces = menu.addAction("Segment surfaces")
    surfaces.setCheckable(True)
    surfaces.setChecked(view3d.surfaces_wanted)
    surfaces.toggled.connect(view3d.set_surfaces_shown)
    _box_action(menu, panel.planes3d_check)
    menu.addSeparator()
    menu.addAction(window.export_view_action)
    give_mnemonics(menu)
    return menu


def view_menu(window, plane: str, global_pos=None) -> QMenu:
    """The menu for ``plane``'s view of ``window`` (its actions are the window's, not copies);
    ``global_pos``: where the right click was (a measurement there: *Delete* first)."""
    if plane == "3d":
        return view3d_menu(window)
    view = window.slice_views[plane]
    local = None if global_pos is None else view.mapFromGlobal(global_pos)
    item = None if local is None else view.measurement_at(local.x(), local.y())
    menu = _alone_menu(window, plane)
    if item is not None:
        value = f" ({item.value_text})" if item.value_text else ""
        first = [QAction(f"Delete {item.kind.lower()}{value}", menu)]
        first[0].triggered.connect(lambda: window.controller.delete_measurement(item))
        volume = window.controller.volume
        if isinstance(item, DrawnRegion) and volume is not None and volume.axis4 == "time" \
                and volume.n_frames > 1:   # a perfusion or DCE run's time-intensity curve
            first.append(QAction(f"Mean over time ({volume.n_frames} time points)...", menu))
            first[1].triggered.connect(lambda: show_region_curve(window, item))
        menu.insertActions(menu.actions()[0], first)
        menu.insertSeparator(menu.actions()[len(first)])
    menu.addAction(window.reset_action)
    presets = menu.addMenu("Window preset")
    presets.addActions(list(window.preset_actions.values()))
    menu.addSeparator()
    menu.addActions(list(window.mode_actions.values()))
    menu.addSeparator()
    menu.addAction(window.export_view_action)
    give_mnemonics(menu)   # its own items take letters the window's actions leave
    return menu


def open_view_menu(window, plane: str, global_pos) -> QMenu:
    """Show the menu at ``global_pos`` (not blocking: the window goes on drawing); kept on the
    window as ``view_menu`` until the next one."""
    old = getattr(window, "view_menu", None)
    if old is not None:
        old.deleteLater()
    window.controller.active_view = plane   # Export view... exports this one
    window.view_menu = view_menu(window, plane, global_pos)
    window.view_menu.popup(global_pos)
    return window.view_menu
