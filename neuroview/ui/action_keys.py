"""An action's keys from a standard key or a key text, every platform binding of a standard key.

``QKeySequence(QKeySequence.Open)`` keeps only the platform's first binding (on Linux without a
desktop theme *Close* became Ctrl+F4 alone, not Ctrl+W; the *Open* media key was dropped);
``QKeySequence.keyBindings`` gives them all, as ``QAction.setShortcuts(StandardKey)`` sets them.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence


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
