"""A timer of ``parent`` that calls ``slot`` once, ``ms`` after its last ``start()``: what the
views and panels wait with before a costly step (a 3D surface rebuilt, a slab drawn in full,
settings saved), so that a burst of changes makes one."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer


def single_shot(parent: QObject, ms: int, slot) -> QTimer:
    """A single-shot :class:`QTimer` of ``parent``, ``ms`` long, calling ``slot``; not started."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer
