"""Keyboard-only use of the side panels: F6 (or Ctrl+Tab) takes the keys from the views to the
next panel, then the next, then back to the views; Shift+F6 (Ctrl+Shift+Tab) goes the other way,
as desktop applications move between a window's panes. Tab only cycles the three slice views
(:mod:`.key_focus`: the panels' widgets take the focus only when clicked), so without a mouse
the panels could not be reached.

A panel reached so gets its widgets' own focus policies back, so Tab and Shift+Tab walk its
boxes and buttons; when the focus leaves the panel they are click-only again, so what
:mod:`.key_focus` guards (a hidden view or a vanished notice button never hands the keys to a
panel's box) still holds. A panel tabbed behind another is raised; closed panels are skipped."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QDockWidget, QScrollArea, QTabBar, QWidget

from .key_focus import OWN_POLICY


class PanelFocus(QObject):
    """Moves the keys between ``window``'s views (``window.slice_views``, the one clicked last
    first: ``window.focus_active_view``) and its dock panels."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.main_window = window
        self.opened: QDockWidget | None = None   # the panel whose widgets take Tab now
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def install(self, menu) -> None:
        """*Next panel* and *Previous panel* in ``menu`` (so Help lists their keys)."""
        for text, keys, step in (("Next panel", ("F6", "Ctrl+Tab"), 1),
                                 ("Previous panel", ("Shift+F6", "Ctrl+Shift+Tab"), -1)):
            action = QAction(text, self.main_window)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(lambda _=False, s=step: self.step(s))
            menu.addAction(action)

    def panels(self) -> list[QDockWidget]:
        """The open panels in the order they sit: top to bottom, then left to right, a row of
        tabbed panels in its tabs' order, floating ones last. (In the order they were made until
        session 42: on a 1366x768 screen F6 went Display, Segments, down to Measurements, up to
        Lesions, then back left to the Segment editor's tab.)"""
        window = self.main_window
        docks = [d for d in window.findChildren(QDockWidget)
                 if d.parent() is window and d.toggleViewAction().isChecked()]
        return sorted(docks, key=self._place)

    def _place(self, dock: QDockWidget) -> tuple[bool, int, int, int]:
        """(floating, top, left, tab) of ``dock``: a panel tabbed behind another sits where the
        one shown is, at its tab's place in the row."""
        window, title, shown, tab = self.main_window, dock.windowTitle(), dock, 0
        bar = next((b for b in window.findChildren(QTabBar) if b.isVisible() and b.parent() is window
                    and title in [b.tabText(i) for i in range(b.count())]), None)
        if bar is not None and window.tabifiedDockWidgets(dock):
            titles = [bar.tabText(i) for i in range(bar.count())]
            tab = titles.index(title)
            shown = next((d for d in [dock, *window.tabifiedDockWidgets(dock)]
                          if d.windowTitle() == titles[bar.currentIndex()]), dock)
        top_left = shown.mapToGlobal(QPoint(0, 0))
        return dock.isFloating(), top_left.y(), top_left.x(), tab

    def step(self, step: int) -> None:
        regions = [None, *self.panels()]   # None: the views
        focus = QApplication.focusWidget()
        here = next((n for n, d in enumerate(regions) if d is not None and d.isAncestorOf(focus)), 0)
        target = regions[(here + step) % len(regions)]
        if target is None:
            self._close()
            view = self.main_window.slice_views.get(self.main_window.controller.active_view)
            if view is not None and view.isVisible():
                view.setFocus(Qt.ShortcutFocusReason)
            return
        self._open(target)

    def _open(self, dock: QDockWidget) -> None:
        self._close()
        dock.raise_()   # tabbed behind another panel: show it
        self.opened = dock
        widgets = [w for w in dock.findChildren(QWidget) if w.property(OWN_POLICY) is not None]
        for widget in widgets:
            widget.setFocusPolicy(Qt.FocusPolicy(widget.property(OWN_POLICY)))
        title_buttons = dock.findChildren(QAbstractButton, options=Qt.FindDirectChildrenOnly)
        first = next((w for w in self._chain(dock) if w.isVisible() and w.isEnabled()
                      and w.focusPolicy() & Qt.TabFocus and w not in title_buttons
                      and not isinstance(w, QScrollArea)), None)   # a box, not its scrolled frame
        (first or dock).setFocus(Qt.TabFocusReason)

    @staticmethod
    def _chain(dock: QDockWidget) -> list[QWidget]:
        """``dock``'s widgets in Tab order."""
        out, widget = [], dock.nextInFocusChain()
        while widget is not dock and widget is not None and len(out) < 10000:
            if dock.isAncestorOf(widget):
                out.append(widget)
            widget = widget.nextInFocusChain()
        return out

    def _close(self) -> None:
        dock, self.opened = self.opened, None
        if dock is None:
            return
        for widget in dock.findChildren(QWidget):
            if widget.property(OWN_POLICY) is not None:
                widget.setFocusPolicy(Qt.ClickFocus)

    def _focus_changed(self, _old, new) -> None:
        if self.opened is not None and not (new is not None and self.opened.isAncestorOf(new)):
            self._close()
