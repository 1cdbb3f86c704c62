"""After one of the window's dialogs closes, the window it came from takes the keys again.

A window manager activates the window under a closed dialog. With none (a bare X server, some
kiosk set-ups, Xvfb) nothing was active after a dialog, a question or a file dialog closed: Ctrl+Z,
the arrow keys and the tool keys did nothing until a click on the window.

Safely, as the first attempt (session 37) was not: a Python exception in its Hide filter, under a
dialog's close, crashed the process inside shiboken. Nothing here touches the closing window: a
window's Hide only asks for a check once control is back in the event loop
(:meth:`FocusReturn.window_hid`), and the check looks at live windows only (the application's
top-level widgets and the windows that had the activation, each checked with
``shiboken6.isValid``). It activates a window only when all hold:

- the application was in front (the last activation change Qt reported was to one of its
  windows: a user who went to another program is left there) and no visible window of it is
  active (Qt may keep a hidden one as its active window: the PACS worklist dialog after its OK);
- no popup menu is open;
- the window to take the activation back is a visible one of this main window (the main window
  or a dialog opened from it, directly or through another dialog): the modal dialog still open,
  else the window active last that is still visible;
- no other window of the application (a dialog, a question) is visible beside it and the windows
  it was opened from: then the user chooses with a click, as before.
"""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from .qt_guard import guard_overrides
from .single_shot import single_shot

_OTHERS = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)
"""Window types that stand beside the target and keep the activation where it is (tool windows,
floating panels, popups and tooltips do not)."""
_HISTORY = 16
_HIDE = QEvent.Type.Hide


@guard_overrides
class FocusReturn(QObject):
    """Gives the activation back to ``main`` (or one of its dialogs) after a dialog closed."""

    def __init__(self, main: QWidget) -> None:
        super().__init__(main)
        self.main = main
        self.in_front = True
        self.history: list[weakref.ref] = []   # windows active in turn, last one last
        # a timer of its own, stopped at detach, so no check is left pending after the window
        # closed. With QTimer.singleShot(0, self, self._check) instead, a script that closed the
        # window and ended crashed at exit (segmentation fault, no Python frame) in 2 runs of 7,
        # both while the About dialog's AI runtime load still ran; with this timer 0 of 13.
        # Not explained: kept as the plainer way
        self.timer = single_shot(self, 0, self._check)
        self.attached = False

    def attach(self) -> None:
        if not self.attached:
            QGuiApplication.instance().focusWindowChanged.connect(self._focus_window_changed)
            self.attached = True
            self._watch_windows()

    def detach(self) -> None:
        if self.attached:
            QGuiApplication.instance().focusWindowChanged.disconnect(self._focus_window_changed)
            for widget in QApplication.topLevelWidgets():   # live windows only
                widget.removeEventFilter(self)
            self.attached = False
        self.timer.stop()
        self.history.clear()

    def window_hid(self) -> None:
        """A window was hidden (:meth:`eventFilter`): check once control is back in the event
        loop. The hidden window is not even looked at."""
        if self.attached and not self.timer.isActive():
            self.timer.start()

    def _watch_windows(self) -> None:
        """Each visible window of the application but the main one reports its Hide to
        :meth:`eventFilter` (its own events only): asked at each activation change and each
        check, so the windows that can hold or stand beside the activation are watched. Until
        session 52 an application event filter took every widget's Hide, and with it every event
        of the application (about 5,000 a window test). Installing a filter twice keeps one."""
        for widget in QApplication.topLevelWidgets():
            if widget is not self.main and widget.isVisible():
                widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == _HIDE:
            self.window_hid()   # ``obj`` is not touched: it may be closing
        return False

    def _focus_window_changed(self, focus_window) -> None:
        """Qt reports the activation moving to one of the application's windows, or away from
        all of them (another program's window took it). A window hidden while active leaves
        Qt's focus window empty without this report: the application is still in front."""
        self.in_front = focus_window is not None
        self._watch_windows()
        # QApplication.activeWindow() is not yet the new one when Qt reports it
        active = next((w for w in QApplication.topLevelWidgets()
                       if focus_window is not None and w.windowHandle() is focus_window), None)
        if active is None or not shiboken6.createdByPython(active):
            return   # a window Qt made (a static QMessageBox's): shiboken may not see it deleted
        self.history = [ref for ref in self.history if ref() is not None and ref() is not active]
        self.history.append(weakref.ref(active))
        del self.history[:-_HISTORY]

    def _check(self) -> None:
        self._watch_windows()   # a window shown without the activation, standing beside
        try:
            target = self._target()
        except RuntimeError:   # a window deleted between two questions
            return
        if target is not None:
            target.activateWindow()
            target.raise_()

    def _target(self) -> QWidget | None:
        main = self.main
        if not (self.in_front and shiboken6.isValid(main) and main.isVisible()):
            return None
        if main.windowState() & Qt.WindowState.WindowMinimized or _platform_cannot_activate():
            return None
        active, focus_window = QApplication.activeWindow(), QGuiApplication.focusWindow()
        if (active is not None and active.isVisible()) or QApplication.activePopupWidget() is not None:
            return None
        if focus_window is not None and focus_window.isVisible():
            return None
        target = QApplication.activeModalWidget() or self._last_visible()
        if target is None:
            return None
        below = _opened_from(target)
        if main is not target and main not in below:
            return None
        beside = [w for w in QApplication.topLevelWidgets()
                  if w.isVisible() and w.windowType() in _OTHERS and w is not target and w not in below]
        return None if beside else target

    def _last_visible(self) -> QWidget | None:
        for ref in reversed(self.history):
            widget = ref()
            if widget is not None and shiboken6.isValid(widget) and widget.isVisible():
                return widget
        return None


def _opened_from(widget: QWidget) -> list[QWidget]:
    """The windows ``widget`` (a window) was opened from, nearest first. ``QWidget.window`` is
    called unbound: a widget's own ``window`` attribute would hide it (PacsDialog's did, and calling
    that was the exception that crashed session 37's attempt; tests/ui/test_qt_names_kept.py now keeps
    neuroview's Qt classes free of such names, a widget from elsewhere could still have one)."""
    out = []
    parent = QWidget.parentWidget(widget)
    while parent is not None:
        out.append(QWidget.window(parent))
        parent = QWidget.parentWidget(out[-1])
    return out


def _platform_cannot_activate() -> bool:
    """Wayland gives the activation itself and refuses an application's request (with a warning)."""
    return QGuiApplication.platformName().startswith("wayland")
