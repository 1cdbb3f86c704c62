"""The user's input while the 3D view draws a frame (:meth:`View3DWidget._handle_events`, every
50 ms or so of a frame that can take 0.1-2 s): keys that cannot change the 3D scene are handled at
once, the rest waits for the frame.

Handled at once: a key with no Ctrl, Alt or Meta while the keys go to a view (a slice view or the
3D view, which passes them on): slice scrolling, zoom, the window/level preset keys (0-7), the
tool and mode keys (N, P, E, F, K, T, F1-F5, [ and ]), Enter and Esc. What they change reaches the
3D view as a signal, and what would change its scene waits for the frame there (``after_frame``).
Before, every key and click waited for the frame: Up, 0 and F3 pressed as the demo head's first
3D frame began were handled 1.3 s later under load, now 0.07-0.2 s (``bench/keys_during_frame.py``).

Held until the frame is drawn, then sent on in the order they came: clicks, drags and the wheel
(over the 3D view they would turn its camera under the ray caster), keys with Ctrl, Alt or Meta
(Ctrl+O opens a dialog, which would hold the frame until it closed) and keys going to a panel
(its 3D preset box changes the scene). Once one event waits, every later one waits behind it, so
none overtakes another. The events are taken where they enter the window (its ``QWindow``, or the
action a shortcut triggers) and posted there again: the window sends them on as it sends a
user's (the widget under the pointer, the focus widget, the click that focuses).
"""

from __future__ import annotations

import functools

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt
from PySide6.QtWidgets import QApplication

from .qt_guard import guard_overrides

HELD_TYPES = {
    QEvent.KeyPress, QEvent.KeyRelease, QEvent.Shortcut,
    QEvent.MouseButtonPress, QEvent.MouseButtonRelease, QEvent.MouseButtonDblClick,
    QEvent.MouseMove, QEvent.Wheel, QEvent.ContextMenu,
    QEvent.TabletPress, QEvent.TabletMove, QEvent.TabletRelease,
    QEvent.TouchBegin, QEvent.TouchUpdate, QEvent.TouchEnd, QEvent.TouchCancel,
    QEvent.NativeGesture,
}
"""The user's input as it enters the window (a shortcut: as it reaches its action)."""
COMMAND_MODIFIERS = Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier


def after_frame(method):
    """``method`` now, or once the frame being drawn is done: the window's events are handled
    while a frame is drawn (:meth:`View3DWidget._handle_events`), and a worker's result or a timer
    met there would change the scene under the ray caster."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self.scene is not None and self.scene.rendering:
            self._after_frame.append(lambda: wrapper(self, *args, **kwargs))
            return None
        return method(self, *args, **kwargs)

    return wrapper


@guard_overrides
class FrameInput(QObject):
    """Handles the events of a turn of the event loop during a frame (:meth:`handle_events`),
    holding the user's input that must wait (:meth:`send_held` posts it after the frame).
    ``views()``: the widgets whose keys are handled at once when they have the focus."""

    def __init__(self, views, parent=None) -> None:
        super().__init__(parent)
        self.views = views
        self.held: list = []   # (receiver, copy of the event), in the order they came

    def handle_events(self) -> None:
        """The window's events now, the user's input among them as the module says."""
        app = QCoreApplication.instance()
        app.installEventFilter(self)
        try:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        finally:
            app.removeEventFilter(self)

    def send_held(self) -> None:
        """Post what was held, in order, to where it entered (the frame is drawn)."""
        held, self.held = self.held, []
        for receiver, event in held:
            if shiboken6.isValid(receiver):   # not a window closed meanwhile
                QCoreApplication.postEvent(receiver, event)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind not in HELD_TYPES:
            return False
        if kind == QEvent.Shortcut:
            if not self.held and self._key_now(event.key()[0].keyboardModifiers()):
                return False
        elif not obj.isWindowType():   # already on its way inside the window: sent on
            return False
        elif not self.held and self._now(event):
            return False
        self.held.append((obj, event.clone()))
        return True

    def _now(self, event) -> bool:
        kind = event.type()
        if kind in (QEvent.KeyPress, QEvent.KeyRelease):
            return self._key_now(event.modifiers())
        # the pointer moving with no button down: the status bar reads the voxel under it
        return kind == QEvent.MouseMove and event.buttons() == Qt.NoButton

    def _key_now(self, modifiers) -> bool:
        return not modifiers & COMMAND_MODIFIERS and QApplication.focusWidget() in self.views()
