"""The tabs of the main window's tabbed docks, their labels whole.

At 1366x768 the Segment editor shares its dock area with *Segments*, *Lesions* and *Measurements*
(``editor_fold``); their four tabs asked 385 pixels of the dock's 364 and Qt cut every label
short (``Segme… | Segment ed… | Lesi… | Measureme…``). Here each tab bar QMainWindow makes for
its docks gets a narrower padding around its labels (:data:`TAB_PADDING`, the style's 24 pixels
otherwise: the four then take 353) and never elides a label: where even so the tabs do not fit
(a *Worklist* tab as well, a larger font) the bar scrolls with its arrows, each label whole. The
dock's own height is untouched: no scroll bar comes back in the editor.

At 1024x700 a worklist adds a fifth tab, *Worklist*: the five asked 407 pixels of 364, the bar
scrolled and *Segments* went out of sight behind its arrows (session 38's walk). The Segment
editor's tab reads *Editor* (:data:`TAB_WORDS`; the dock's title bar above it still says
*Segment editor*, and the tab's text, read by screen readers and the View menu, is unchanged):
the five take 355.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOptionTab, QTabBar

from .qt_guard import guard_overrides

TAB_PADDING = 14
"""Pixels around a dock tab's label, both sides together (``QStyle.PM_TabBarTabHSpace``)."""


TAB_WORDS = {"Segment editor": "Editor"}
"""A dock's title -> the shorter label its tab shows."""


@guard_overrides
class CompactTabStyle(QProxyStyle):
    """The application's style, with at most :data:`TAB_PADDING` around a tab's label, and the
    labels of :data:`TAB_WORDS` drawn short (their tabs as much narrower)."""

    def pixelMetric(self, metric, option=None, widget=None) -> int:
        value = super().pixelMetric(metric, option, widget)
        return min(value, TAB_PADDING) if metric == QStyle.PM_TabBarTabHSpace else value

    def sizeFromContents(self, kind, option, size, widget=None):
        size = super().sizeFromContents(kind, option, size, widget)
        short = TAB_WORDS.get(option.text) if kind == QStyle.CT_TabBarTab else None
        if short is not None:
            metrics = option.fontMetrics
            size.setWidth(size.width() - metrics.horizontalAdvance(option.text)
                          + metrics.horizontalAdvance(short))
        return size

    def drawControl(self, element, option, painter, widget=None) -> None:
        if element == QStyle.CE_TabBarTabLabel and option.text in TAB_WORDS:
            option = QStyleOptionTab(option)
            option.text = TAB_WORDS[option.text]
        super().drawControl(element, option, painter, widget)


@guard_overrides
class DockTabs(QObject):
    """Keeps every dock tab bar of ``window`` compact and unelided, those Qt makes later too
    (QMainWindow makes a tab bar when docks are first tabbed together: it is a child of the
    window, caught here as it is added)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.main_window = window
        self.tab_style = CompactTabStyle()   # the application's style underneath
        self.tab_style.setParent(self)
        self._pending = False
        window.installEventFilter(self)
        self.adopt()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.ChildAdded and not self._pending:
            self._pending = True   # the new child is a QTabBar only once constructed
            QTimer.singleShot(0, self, self.adopt)
        return False

    def adopt(self) -> None:
        self._pending = False
        for bar in self.main_window.findChildren(QTabBar, options=Qt.FindDirectChildrenOnly):
            if bar.style() is not self.tab_style:
                bar.setStyle(self.tab_style)
                bar.setElideMode(Qt.ElideNone)
                bar.setUsesScrollButtons(True)
