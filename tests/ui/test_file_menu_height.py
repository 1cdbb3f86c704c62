"""*File* fits under the menu bar of a 1366x768 laptop screen at 150 % (911x512 points): with its
25 items it was 556 points tall, and Qt put *Close* and *Quit* in a second column beside the rest.
The worklist's items are in *File > Worklist* now (its steps are on the tool bar, with their keys).
*View*, 29 entries, was 538 points tall there (Qt put *Next panel* and *Previous panel* in a second
column over the views; at 1920x1080 and 200 %, 540 points, it covered the menu bar): the panels'
entries are in *View > Panels* now.
"""

from __future__ import annotations

from key_presses import type_key
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

SCREEN_POINTS = 768 / 1.5


def test_the_file_menu_fits_a_laptop_screen_at_150_percent(qtbot, window):
    menu = window.file_menu
    height = menu.sizeHint().height() + window.menuBar().sizeHint().height()
    assert height <= SCREEN_POINTS, height
    worklist = next(a.menu() for a in menu.actions() if a.text().replace("&", "") == "Worklist")
    assert [a.text().replace("&", "") for a in worklist.actions()][:2] == \
        ["Open worklist folder...", "Open worklist CSV..."]
    window.show()   # its keys still work from the submenu: Ctrl+N, Next case
    qtbot.waitExposed(window)
    window.slice_views["axial"].setFocus()
    window.training_actions.next_action.setEnabled(True)   # greyed with no worklist open
    type_key(window.slice_views["axial"], Qt.Key_N, Qt.ControlModifier)
    qtbot.waitUntil(lambda: "open a worklist first" in window.message_bar.text + window.notice_bar.text,
                    timeout=10000)


def test_the_view_menu_fits_a_laptop_screen_at_150_percent(qtbot, window):
    view = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View")
    height = view.sizeHint().height() + window.menuBar().sizeHint().height()
    assert height <= SCREEN_POINTS, height
    panels = next(a.menu() for a in view.actions() if a.text().replace("&", "") == "Panels")
    assert [a.text().replace("&", "") for a in panels.actions() if not a.isSeparator()][-2:] == \
        ["Next panel", "Previous panel"]
    window.show()   # F6 still goes to the panels from the submenu
    qtbot.waitExposed(window)
    window.slice_views["axial"].setFocus()
    type_key(window.slice_views["axial"], Qt.Key_F6)
    qtbot.waitUntil(lambda: window.display_panel.isAncestorOf(QApplication.focusWidget()), timeout=10000)
