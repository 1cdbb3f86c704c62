"""Keys go to the views: slice keys, ``[``/``]``, P/E/F/N and Ctrl+Z must reach the slice views
whenever the pointer is over a view or a view was last clicked (as in Slicer and ITK-SNAP).

Four habits make it so:

- every widget of the main window's panels, bars and tool bars takes the focus only when clicked
  (``Qt.ClickFocus``): when the focused view is hidden (double-click maximise re-lays the views
  out) or a notice's button disappears, Qt hands the focus to the next widget in the Tab chain,
  and that must be a view, never the Window spin box;
- after a layout change or an answered notice the last clicked view takes the focus back;
- the pointer entering a view gives it the focus, unless the user is typing in a text field;
- after one of the window's dialogs closes, the window it came from is active again, also with no
  window manager (:mod:`.focus_return`).

The first is done where Qt reads the focus policies, so widgets that panels create later follow
without an application event filter: the window's widgets are demoted at its show, and again each
time Qt moves the focus along the Tab chain (Tab, or a focused widget hidden or disabled: the
window's ``focusNextPrevChild``) or activates the window (its ``QWindow``'s FocusIn); a wheel turn
entering the window demotes the widgets under the pointer first (Qt gives a wheel-focus box the
focus before any filter of it sees the wheel). Until session 52 an application filter took each
widget's Polish: every event of the application (about 5,000 a window test) was handed to Python.
The last is :mod:`.focus_return`. Nothing here may raise: an exception out of an event filter,
under a dialog's close, crashed the process inside shiboken (session 37).
F6 / Ctrl+Tab take the keys to a panel for keyboard-only use (:mod:`.panel_focus`): its widgets
get their own focus policy back (:data:`OWN_POLICY`) until the focus leaves it.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from .focus_return import FocusReturn
from .qt_guard import guard_overrides

OWN_POLICY = "neuroview_own_focus_policy"
"""Property of each widget made click-only: its focus policy before (as an int)."""
_TAB_FOCUS = Qt.FocusPolicy.TabFocus.value
"""As plain values: with PySide6's enum operators (``policy & Qt.TabFocus``) and the views'
ancestry asked first, checking a new window's 400 widgets took 2.4 ms of CPU, 0.6 ms so."""
_FOCUS_IN = QEvent.Type.FocusIn
_WHEEL = QEvent.Type.Wheel


def plain(event) -> bool:
    """``event`` is a key pressed with no modifier (the keypad's own flag aside: its arrows and
    Enter carry it): the views' slice keys and R take only these, so Shift+R or Ctrl+Left is left
    to the bindings that want it (they reset the view or moved a slice as R and Left did)."""
    return not event.modifiers() & ~Qt.KeypadModifier


def menu_key(event) -> bool:
    """``event`` is the keyboard's Menu key or Shift+F10, which open a view's right-click menu
    for keyboard use, as they open a context menu in desktop programs."""
    key, modifiers = event.key(), event.modifiers() & ~Qt.KeypadModifier
    return (key == Qt.Key_Menu and plain(event)) or (key == Qt.Key_F10 and modifiers == Qt.ShiftModifier)


def typing_in(widget) -> bool:
    """True while the user has typed text into ``widget`` that is not yet committed."""
    if isinstance(widget, QAbstractSpinBox):
        widget = widget.lineEdit()
    if isinstance(widget, QLineEdit):
        return widget.isModified()
    return isinstance(widget, (QTextEdit, QPlainTextEdit))


@guard_overrides
class ClickFocusFilter(QObject):
    """Gives ``Qt.ClickFocus`` to each widget of ``window`` (but ``views``) before Qt reads its
    focus policy: at the show, before a move along the Tab chain (:meth:`demote_all`, from
    ``MainWindow.focusNextPrevChild``), at the window's activation and under a wheel turn (a filter
    of the window's ``QWindow``: the events entering the window, not every widget's)."""

    def __init__(self, window: QWidget, views) -> None:
        super().__init__(window)
        self.main_window = window
        self.views = tuple(views)
        self.returns = FocusReturn(window)
        self.attached = False
        self.entry = None   # the window's QWindow, filtered while attached

    def attach(self) -> None:
        """At the window's show: demote its widgets (the keys go to a view when it is activated)
        and watch the window's activation and wheel turns (again after :meth:`detach`: widgets made
        meanwhile are demoted now)."""
        if self.attached:
            return
        self.demote_all()
        self.returns.attach()
        self.entry = self.main_window.windowHandle()
        if self.entry is not None:
            self.entry.installEventFilter(self)
        self.attached = True

    def demote_all(self) -> None:
        """Demotes the window's widgets that take Tab (0.4-1.4 ms a window of 400 widgets: the
        cheap checks first, bench/window_build.py)."""
        for widget in self.main_window.findChildren(QWidget):
            self._demote(widget)

    def _demote(self, widget) -> None:
        policy = widget.focusPolicy().value   # the cheap checks first: most widgets take no Tab
        # QWidget.window unbound: a widget's own ``window`` attribute would hide it (PacsDialog's did;
        # tests/ui/test_qt_names_kept.py keeps neuroview's out, another library's could have one)
        if not policy & _TAB_FOCUS or QWidget.window(widget) is not self.main_window:
            return
        if widget in self.views or any(view.isAncestorOf(widget) for view in self.views):
            return
        widget.setProperty(OWN_POLICY, int(policy))
        opened = getattr(getattr(self.main_window, "panel_focus", None), "opened", None)
        if opened is not None and opened.isAncestorOf(widget):
            return   # made in the panel F6 took the keys to (a tool's options page): Tab reaches it
        widget.setFocusPolicy(Qt.ClickFocus)
        if isinstance(widget, QAbstractItemView):   # Tab to the next box, the arrows in the list
            widget.setTabKeyNavigation(False)       # (Tab stepped a panel's table cell by cell)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == _FOCUS_IN:   # the window activated: Qt focuses its first Tab widget if none has it
            self.demote_all()
        elif kind == _WHEEL:
            widget = self.main_window.childAt(event.position().toPoint())
            while widget is not None and widget is not self.main_window:
                self._demote(widget)   # Qt focuses the first of them taking the wheel
                widget = QWidget.parentWidget(widget)
        return False

    def detach(self) -> None:
        """Stop watching (at the window's close)."""
        if self.entry is not None and shiboken6.isValid(self.entry):
            self.entry.removeEventFilter(self)
        self.entry = None
        self.returns.detach()
        self.attached = False
