"""Boxes, lists and sliders of a side panel take the mouse wheel only once clicked into.

Over a box the user has not clicked into, the wheel goes on to the panel (which scrolls on a
short screen), as in ITK-SNAP and most desktop forms: scrolling the panel must not change a
window, a preset, a brush size or an option on the way. Clicked into, the box takes the wheel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox, QScrollBar, QWidget

from .qt_guard import guard_overrides


@guard_overrides
class WheelWhenFocused(QObject):
    """An event filter: the widgets it watches take the wheel only when they have the focus."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Wheel and not obj.hasFocus():
            event.ignore()   # not taken here: Qt hands it to the parent
            return True
        return False

    def watch(self, under: QWidget) -> None:
        """Watch every spin box, list box and slider (not scroll bar) under ``under`` now."""
        for kind in (QAbstractSpinBox, QComboBox, QAbstractSlider):
            for widget in under.findChildren(kind):
                if not isinstance(widget, QScrollBar):
                    widget.installEventFilter(self)


def wheel_only_when_focused(panel: QWidget) -> WheelWhenFocused:
    """Install the filter on every spin box, list box and slider (not scroll bar) under ``panel``
    now; returns it, to watch widgets made later (:meth:`WheelWhenFocused.watch`)."""
    wheel_filter = WheelWhenFocused(panel)
    wheel_filter.watch(panel)
    return wheel_filter
