"""*Help > Keyboard shortcuts* names only keys a desktop keyboard has: Qt's standard sequences add
the dedicated Open, Save and Close keys of multimedia keyboards on Linux, which the list showed as
"Ctrl+O, Open", "Ctrl+S, Save", "Ctrl+F4, Ctrl+W, Close" (read as if "Open" were a key to press)."""

from __future__ import annotations

from neuroview.ui.help_menu import shortcut_rows
from neuroview.ui.main_window import MainWindow


def test_standard_actions_list_their_keyboard_keys_only(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    keys = {what: keys for _where, what, keys in shortcut_rows(window.menuBar())}
    assert keys["Open file(s)..."] == "Ctrl+O"
    assert keys["Save labels..."] == "Ctrl+S"
    assert keys["Close"] == "Ctrl+F4, Ctrl+W"
    words = {"Open", "Save", "Close", "Exit", "Back", "Forward", "Refresh", "Find", "New"}
    listed = {part.strip() for value in keys.values() for part in value.split(",")}
    assert not listed & words
