"""Every dock panel has an entry in *View > Panels*, in the order the panels sit: *Display*,
*Segments*, *Measurements* had none (closed with their X they came back only from the right-click
menu of another panel's title), the editor's, the Lesions' and the Worklist's were scattered among
the lesion and panel keys. A panel closed with its X comes back from its entry, checked while
shown, as in Slicer and ITK-SNAP. (In *View* itself until session 43.)"""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget

PANELS = ["Display", "Segments", "Segment editor", "Lesions", "Measurements", "Worklist"]


def _view_menu(window):
    """*View > Panels*."""
    view = next(a.menu() for a in window.menuBar().actions()
                if a.menu() is not None and a.text().replace("&", "") == "View")
    return next(a.menu() for a in view.actions()
                if a.menu() is not None and a.text().replace("&", "") == "Panels")


def _entries(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_the_view_menu_lists_every_panel_together_in_the_order_they_sit(qtbot, window):
    entries = _entries(_view_menu(window))
    assert [e for e in entries if e in PANELS] == PANELS
    start = entries.index("Display")
    assert entries[start:start + len(PANELS)] == PANELS    # one group, nothing between
    assert len(set(entries)) == len(entries)                 # no panel listed twice
    docks = {d.objectName() for d in window.findChildren(QDockWidget) if d.parent() is window}
    assert docks <= set(PANELS)                              # and no panel left out


def test_a_panel_closed_with_its_x_comes_back_from_the_view_menu(qtbot, window):
    menu = _view_menu(window)
    for name in ("Display", "Segments", "Measurements"):
        dock = window.findChild(QDockWidget, name)
        entry = next(a for a in menu.actions() if a.text().replace("&", "") == name)
        assert entry.isChecked() and dock.isVisible()
        dock.close()   # what its title bar's X does
        qtbot.waitUntil(lambda d=dock: not d.isVisible())
        assert not entry.isChecked()
        entry.trigger()
        qtbot.waitUntil(lambda d=dock: d.isVisible())
        assert entry.isChecked()
        assert dock.widget().isVisible() and dock.width() > 50 and dock.height() > 50
