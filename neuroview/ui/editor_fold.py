"""The Segment editor dock tall enough for the picked tool's options and Apply.

At 1600x1000 the Display and Measurements docks above and below it left the Segment editor
about 450 pixels: the tool's options and *Apply* sat below its fold, to be scrolled to. When a
tool is picked (and when the dock is first shown) and its panel does not fit, the dock is grown
with ``QMainWindow.resizeDocks``, which takes the room from its neighbours (the Display panel
scrolls; Measurements keeps its least height). A user who drags the docks' splitter afterwards
keeps that size until the next tool is picked. Where even that leaves the options or *Apply*
below the fold (a 1366x768 screen), the Measurements dock goes behind the editor's tabs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QTabBar

from .qt_guard import guard_overrides


@guard_overrides
class EditorDockFit(QObject):
    def __init__(self, window, dock, panel) -> None:
        super().__init__(dock)
        self.main_window, self.dock, self.panel = window, dock, panel
        self.tabbed = False   # the Measurements dock moved behind the editor's tabs
        panel.stack.currentChanged.connect(lambda _i: self.later())
        dock.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Show:
            self.later()
        return False

    def later(self) -> None:
        QTimer.singleShot(0, self, self.fit)   # once the new page's layout has its size

    def missing(self) -> int:
        """Pixels the panel lacks to be shown whole in the dock (0: it fits)."""
        scroll = self.dock.widget()
        self.panel.stack.updateGeometry()
        self.panel.layout().activate()   # the new page's rows counted
        return max(0, self.panel.sizeHint().height() - scroll.viewport().height())

    def fit(self) -> None:
        if not self.dock.isVisible() or self.dock.isFloating():
            return
        for _attempt in range(2):
            missing = self.missing()
            if not missing:
                break
            self._grow(missing, slack=missing)   # asked for more: a tabbed dock comes out short
        if self.short() and self._tab_measurements():
            self.later()

    def short(self) -> bool:
        """The tool's options and Apply do not fit even with the list at its least (two rows)."""
        return self.panel.minimumSizeHint().height() > self.dock.widget().viewport().height()

    def _tab_measurements(self) -> bool:
        """A short screen (1366x768): the Measurements dock below (and the Worklist tabbed with
        it) goes behind the editor's tabs, as Slicer's modules share one panel, giving its height
        to the options; a measurement added brings its tab to the front. Once; True if moved."""
        window, dock = self.main_window, self.dock
        measurements = window.findChild(type(dock), "Measurements")
        if (self.tabbed or measurements is None or not measurements.isVisible()
                or measurements.isFloating() or measurements in window.tabifiedDockWidgets(dock)):
            return False
        self.tabbed = True
        for other in (measurements, *window.tabifiedDockWidgets(measurements)):   # the Worklist too
            window.tabifyDockWidget(dock, other)
        dock.raise_()
        measurements.widget().model().rowsInserted.connect(lambda *_: measurements.raise_())
        return True

    def _grow(self, missing: int, slack: int) -> None:
        """Take up to ``missing`` pixels from the neighbouring docks (each down to its least
        height) and ask for the dock that much taller, plus ``slack``."""
        window, dock = self.main_window, self.dock
        area = window.dockWidgetArea(dock)
        behind = window.tabifiedDockWidgets(dock)
        others = [d for d in window.findChildren(type(dock))
                  if d is not dock and d not in behind and d.isVisible() and not d.isFloating()
                  and window.dockWidgetArea(d) == area]
        given, sizes = 0, []
        for other in others:
            give = min(missing - given, max(0, other.height() - other.minimumSizeHint().height()))
            sizes.append(other.height() - give)
            given += give
        tabs = self._tab_bar_height()   # Qt sizes a tabbed dock's group, its tab bar included
        window.resizeDocks([dock, *others], [dock.height() + tabs + given + slack, *sizes], Qt.Vertical)
        window.layout().activate()

    def _tab_bar_height(self) -> int:
        title = self.dock.windowTitle()
        return next((bar.height() for bar in self.main_window.findChildren(QTabBar) if bar.isVisible()
                     and title in (bar.tabText(i) for i in range(bar.count()))), 0)
