"""Whether a closed follow-up window is freed: helpers that test_followup_free.py and
test_followup_window.py share."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtWidgets import QApplication


def _freed(qtbot, view) -> tuple[weakref.ref, list]:
    """A weak reference to ``view`` and a list that its ``destroyed`` signal fills."""
    destroyed = []
    view.destroyed.connect(lambda: destroyed.append(True))
    reference = weakref.ref(view)
    return reference, destroyed


def _settle(qtbot, destroyed):
    qtbot.waitUntil(lambda: bool(destroyed), timeout=10000)
    QApplication.sendPostedEvents(None, 0)
    gc.collect()
