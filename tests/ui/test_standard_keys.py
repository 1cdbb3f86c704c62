"""Actions bound to a standard key carry every binding Qt has for it on this platform.

``QKeySequence(StandardKey)`` kept only the first one: *Open*'s and *Save*'s media keys were lost,
and on a Linux desktop without a theme *Close* would have kept Ctrl+F4 without Ctrl+W."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

STANDARD = {"Open file(s)...": QKeySequence.Open, "Save labels...": QKeySequence.Save,
            "Close": QKeySequence.Close, "Quit": QKeySequence.Quit}


def test_each_standard_key_action_has_all_of_qts_bindings(qtbot, window):
    actions = {a.text().replace("&", ""): a for a in window.file_menu.actions()}
    actions = {text: a for text, a in actions.items() if text in STANDARD}
    assert sorted(actions) == sorted(STANDARD)
    several = 0
    for text, key in STANDARD.items():
        wanted = [k.toString() for k in QKeySequence.keyBindings(key)]
        assert [k.toString() for k in actions[text].shortcuts()] == wanted, text
        several += len(wanted) > 1
    assert several >= 2   # Open and Save have two bindings on every platform Qt knows


def test_the_shortcuts_list_names_every_binding(qtbot, window):
    """*Help > Keyboard shortcuts* writes Close's keys, every one a desktop keyboard types, in its
    Keys column (the dedicated Close key of multimedia keyboards still works, unlisted: its name
    read as a key to press, "Ctrl+F4, Ctrl+W, Close")."""
    window.show_shortcuts()
    table = window.help_dialog.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "Close")
    keys = table.item(row, 2).text()
    typed = [k for k in QKeySequence.keyBindings(QKeySequence.Close)
             if k[0].key().value < Qt.Key.Key_Back.value]
    assert len(typed) > 1
    assert keys == ", ".join(k.toString(QKeySequence.NativeText) for k in typed)
