"""*File* fits under the menu bar of a 1366x768 laptop screen at 150 % (911x512 points): with its
25 items it was 556 points tall, and Qt put *Close* and *Quit* in a second column beside the rest.
The worklist's items are in *File > Worklist* now (its steps are on the tool bar, with their keys).
"""

from __future__ import annotations

from key_presses import type_key
from PySide6.QtCore import Qt

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
                    timeout=3000)
