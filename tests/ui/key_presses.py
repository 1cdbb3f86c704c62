"""Typing keys into the window: helpers that test_keys.py and the tests building on it share (test
modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def type_key(widget, key, modifier=Qt.NoModifier) -> None:
    """Press ``key`` as a user does, into the window of ``widget``: its focus widget gets it (no
    widget chosen here). Fails the test, naming the window, when it has no native window (never
    shown): QTest's keyClick to a None window handle aborts the process (SIGABRT)."""
    window = widget.window()
    handle = window.windowHandle()
    if handle is None:
        pytest.fail(f"{_named(window)} has no window handle (never shown): no key can be typed "
                    "into it")
    QTest.keyClick(handle, key, modifier)


def _named(widget) -> str:
    if widget is None:
        return "no widget"
    name = widget.objectName() or widget.windowTitle()
    return f"{type(widget).__name__}" + (f" {name!r}" if name else "")


def keys_go_to(qtbot, where, timeout=5000):
    """The widget a key typed now goes to: ``where`` or a widget inside it, once ``where``'s window
    is the active one (as a click on it makes it; with no window manager, under Xvfb, no window
    is). Fails the test, naming ``where``, when the keys are elsewhere or nowhere after
    ``timeout`` ms: QTest's keyClick to no widget (``focusWidget()`` None) aborts the process,
    SIGABRT, and every test after it is lost with no message."""
    window = where.window()
    window.raise_()
    window.activateWindow()

    def has_keys() -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is where or where.isAncestorOf(focus))

    try:
        qtbot.waitUntil(has_keys, timeout=timeout)
    except qtbot.TimeoutError:
        pytest.fail(f"{_named(where)} should have the keys, {_named(QApplication.focusWidget())} "
                    f"has them (active window: {_named(QApplication.activeWindow())}) after "
                    f"{timeout} ms")
    return QApplication.focusWidget()


def press(qtbot, where, key, modifier=Qt.NoModifier, timeout=5000) -> None:
    """Press ``key`` as the user types it, to the widget that has the keys, which must be
    ``where`` or inside it (:func:`keys_go_to`)."""
    qtbot.keyClick(keys_go_to(qtbot, where, timeout), key, modifier)
