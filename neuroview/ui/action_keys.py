"""An action's keys from a standard key or a key text, every platform binding of a standard key;
a menu item with them.

``QKeySequence(QKeySequence.Open)`` keeps only the platform's first binding (on Linux without a
desktop theme *Close* became Ctrl+F4 alone, not Ctrl+W; the *Open* media key was dropped);
``QKeySequence.keyBindings`` gives them all, as ``QAction.setShortcuts(StandardKey)`` sets them.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


def key_sequences(*keys) -> list[QKeySequence]:
    """The key sequences of ``keys``: each a ``QKeySequence.StandardKey`` (all its bindings on
    this platform, none where the platform has none), a key text ("Ctrl+L") or a sequence."""
    sequences = []
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            sequences.extend(QKeySequence.keyBindings(key))
        else:
            sequences.append(QKeySequence(key))
    return sequences


def menu_item(parent, menu, text: str, slot, *keys) -> QAction:
    """An item ``text`` of ``menu`` (owned by ``parent``, the window) that runs ``slot``, with
    the keys ``keys`` (:func:`key_sequences`; none given or empty: no key)."""
    action = QAction(text, parent)
    if any(keys):
        action.setShortcuts(key_sequences(*(key for key in keys if key)))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action
