"""*Help > Keyboard shortcuts* lists the keys the code binds, and no key does two things: the keys
a slice view takes are found by offering it every key of Qt's key list (as a user's keyboard
would) and compared with the list's rows; the window's actions are read from the window.
The editor panel's tool buttons name the keys the Edit menu's tools have."""

from __future__ import annotations

from collections import Counter

from editor_helpers import open_image, wait_for_session, write_image
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence

from neuroview.ui.editor_options import TOOLS
from neuroview.ui.help_menu import shortcut_rows

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

# how the list writes a key Qt names Key_<name>
WRITTEN = {"Escape": "Esc", "PageUp": "PgUp", "PageDown": "PgDn", "Equal": "=", "Minus": "-",
           "Plus": "+", "Underscore": "_", "Return": "Enter"}


def keys_the_view_takes(view) -> set[str]:
    """The plain keys (no modifier) ``view`` accepts in its present state."""
    taken = set()
    for name in dir(Qt.Key):
        if name.startswith("Key_"):
            event = QKeyEvent(QEvent.KeyPress, getattr(Qt.Key, name), Qt.NoModifier)
            event.setAccepted(True)
            view.keyPressEvent(event)
            if event.isAccepted():
                taken.add(name[4:])
    return taken


def listed_tokens(rows) -> set[str]:
    tokens = set()
    for _where, _what, keys in rows:
        for part in keys.replace("/", ",").split(","):
            word = part.strip().split(" ")[0]
            tokens |= {word, *word.split("+")}
    return tokens


def test_the_list_names_every_key_a_slice_view_takes(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    taken = keys_the_view_takes(window.slice_views["axial"])
    assert {"Up", "Down", "R", "Escape", "Plus", "Minus"} <= taken   # the probe sees the keys
    listed = listed_tokens(shortcut_rows(window.menuBar()))
    missing = sorted(k for k in taken if WRITTEN.get(k, k) not in listed)
    assert not missing, f"keys the slice views take that Help > Keyboard shortcuts omits: {missing}"


def test_no_key_does_two_things(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    actions = [a for a in window.findChildren(QAction) if a.shortcuts()]
    # a panel's own key (Ctrl+C in the Lesions list and in Measurements) works where the focus is:
    # one each; no window-wide key may take it there
    panel = (Qt.WidgetShortcut, Qt.WidgetWithChildrenShortcut)
    own = [a for a in actions if a.shortcutContext() in panel]
    actions = [a for a in actions if a.shortcutContext() not in panel]
    counts = Counter(s.toString() for a in actions for s in a.shortcuts())
    assert not [k for k, n in counts.items() if n > 1], counts
    for a in own:
        assert not {s.toString() for s in a.shortcuts()} & set(counts), a.text()
        assert [b.parent() for b in own if b.shortcuts() == a.shortcuts()].count(a.parent()) == 1
    # a window shortcut takes a key before the focused view sees it: none may take a view's key
    taken = keys_the_view_takes(window.slice_views["axial"])
    plain = {QKeySequence(WRITTEN.get(k, k)).toString() for k in taken}
    assert not plain & set(counts), plain & set(counts)


def test_editor_tool_buttons_name_the_edit_menu_keys(qtbot, window):
    menu_keys = {a.text().replace("&", ""): [s.toString() for s in a.shortcuts()]
                 for a in window.findChildren(QAction) if a.shortcuts()}
    for _name, text, tip in TOOLS:
        head = tip.split(":")[0]   # "N, F1: ..." names N and F1
        named = [k.strip() for k in head.split(",")] if ":" in tip and len(head) <= 12 else []
        keys = menu_keys.get(text, [])
        assert (named and set(named) <= set(keys)) if keys else not named, (text, tip, keys)
