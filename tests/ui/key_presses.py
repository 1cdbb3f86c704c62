"""Typing keys into the window: helpers that test_keys.py and the tests building on it share (test
modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def type_key(window, key, modifier=Qt.NoModifier) -> None:
    """Press ``key`` as a user does: the window's focus widget gets it (no widget chosen here)."""
    QTest.keyClick(window.windowHandle(), key, modifier)
