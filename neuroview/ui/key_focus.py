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

The first and last are done by an application event filter (Polish and Hide events), so widgets
and dialogs that panels create later follow; it watches while the window is shown, from the turn of
the event loop after its show (the widgets there at the show are demoted then). Nothing it calls
may raise: an exception out of an event filter, under a dialog's close, crashed the process inside
shiboken (session 37).
F6 / Ctrl+Tab take the keys to a panel for keyboard-only use (:mod:`.panel_focus`): its widgets
get their own focus policy back (:data:`OWN_POLICY`) until the focus leaves it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from .focus_return import FocusReturn
from .qt_guard import guard_overrides
from .single_shot import single_shot

OWN_POLICY = "neuroview_own_focus_policy"
"""Property of each widget made click-only: its focus policy before (as an int)."""
_TAB_FOCUS = Qt.FocusPolicy.TabFocus.value
_POLISH = QEvent.Type.Polish
"""As plain values: with PySide6's enum operators (``policy & Qt.TabFocus``) and the views'
ancestry asked first, checking a new window's 400 widgets took 2.4 ms of CPU, 0.6 ms so."""
_HIDE = QEvent.Type.Hide


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
    """Gives ``Qt.ClickFocus`` to each widget of ``window`` (but ``views``) when it is polished."""

    def __init__(self, window: QWidget, views) -> None:
        super().__init__(window)
        self.main_window = window
        self.views = tuple(views)
        self.returns = FocusReturn(window)
        self.attached = False
        self._shown: set = set()
        """The widgets :meth:`attach` demoted, held (their wrappers with them) until :meth:`_watch`,
        which demotes only the others: those made between the show and the event loop's turn."""
        # the application's events are watched from the first turn of the event loop after the
        # window's show (:meth:`attach`), not from its making: the show's own 1,900 events (each
        # widget's Polish request, layouts, paints) passed through this filter, each handed to
        # Python; the window cost 10 % more CPU to make, show and close (bench/window_start.py)
        self.watch = single_shot(self, 0, self._watch)

    def attach(self) -> None:
        """At the window's show: demote its widgets (the keys go to a view when it is activated),
        then watch the application's Polish and Hide events from the next turn of the event loop
        (again, after :meth:`detach`: widgets made meanwhile are demoted now)."""
        if self.attached:
            return
        self._shown = set(self._demote_all(()))
        self.returns.attach()
        self.attached = True
        self.watch.start()

    def _watch(self) -> None:
        """The show's events handled: widgets polished meanwhile are demoted, and the filter sees
        each widget polished from now on."""
        shown, self._shown = self._shown, set()
        if self.attached:
            self._demote_all(shown)
            QApplication.instance().installEventFilter(self)

    def _demote_all(self, seen) -> list:
        """Demotes the window's widgets but those in ``seen``; returns them all. The second walk,
        a turn of the event loop after the first, checked each widget again: 0.9-1.4 ms a window,
        0.4-0.7 so, the first 3.5-4.5 (bench/window_build.py)."""
        widgets = self.main_window.findChildren(QWidget)
        for widget in widgets:
            if widget not in seen:
                self._demote(widget)
        return widgets

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
        if kind == _POLISH and isinstance(obj, QWidget):
            self._demote(obj)
        elif kind == _HIDE:
            self.returns.window_hid()   # ``obj`` is not touched: it may be closing
        return False

    def detach(self) -> None:
        """Stop watching: every event of the application passes through this filter, and a
        closed window's went on doing so until Qt deleted the window (in the tests, through the
        next test's window made and shown: 5,000 of its 8,000 filtered events)."""
        self.watch.stop()
        self._shown = set()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            self.returns.detach()
        self.attached = False
