"""Dock panels that scroll when the window is short, so the main window fits a small screen: a
768-pixel laptop, or a 1080-pixel one at 200 % scale (960x540 logical pixels)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QScrollArea

from .qt_guard import guard_overrides


@guard_overrides
class PanelScroll(QScrollArea):
    """A scroll area that asks for its whole panel's height (QScrollArea's own hint stops at 24
    lines), so the dock shows the panel whole whenever the window has the room, and scrolls
    only when it has not."""

    whole = False
    """True: never shorter than the whole panel (where the screen has the room for it)."""

    def sizeHint(self):
        hint = self.widget().sizeHint()
        return hint.grownBy(self.contentsMargins()) if self.widget() is not None else super().sizeHint()

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        if self.whole:
            hint.setHeight(max(hint.height(), self.sizeHint().height()))
        return hint

    def keep_whole(self, whole: bool) -> None:
        self.whole = bool(whole)
        self.updateGeometry()


@guard_overrides
class HintFollows(QObject):
    """Tells the dock a :class:`PanelScroll`'s hints changed when its panel's rows did: Qt stops
    the news at the scroll area's viewport, so a row shown later (the Display panel's *Time
    point* for a 4D image) left the dock at its old height, the panel scrolling, its last row
    (*Volume opacity*) out of sight with the room below it free."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.LayoutRequest:
            self.parent().updateGeometry()
        return False


def scrolled(panel) -> PanelScroll:
    """``panel`` in a :class:`PanelScroll`, as wide as the panel needs (no horizontal bar)."""
    scroll = PanelScroll()
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    scroll.setMinimumWidth(panel.minimumSizeHint().width()
                           + scroll.verticalScrollBar().sizeHint().width())
    panel.installEventFilter(HintFollows(scroll))
    return scroll


@guard_overrides
class NoBlankBelow(QObject):
    """A side dock whose panel has a height of its own (the Display panel) no taller than the
    panel: the room a taller window brings goes to the docks that can use it (the Segment editor,
    Measurements). Qt shares a window's new height among a side's docks in proportion, so a
    maximised window left a blank band under the Display panel's last row while the Segment editor
    below it still scrolled. Not while the dock floats or shares a tab group (its neighbours'
    height is theirs), nor in the top or bottom area."""

    def __init__(self, window, dock) -> None:
        super().__init__(dock)
        self.main_window, self.dock = window, dock
        dock.installEventFilter(self)
        dock.widget().widget().installEventFilter(self)   # its rows shown or hidden

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Resize, QEvent.LayoutRequest):
            QTimer.singleShot(0, self, self.fit)   # once the window's layout has settled
        return False

    def blank(self) -> int:
        """Pixels of the dock below its panel's last row."""
        scroll = self.dock.widget()
        return scroll.viewport().height() - scroll.widget().sizeHint().height()

    def fit(self) -> None:
        window, dock = self.main_window, self.dock
        if (not dock.isVisible() or dock.isFloating() or window.tabifiedDockWidgets(dock)
                or window.dockWidgetArea(dock) not in (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea)):
            return
        for _step in range(8):   # Qt gives part of the room back to the dock asked: a few steps
            blank, height = self.blank(), dock.height()
            if blank <= 0:
                return
            window.resizeDocks([dock], [height - blank], Qt.Vertical)
            window.layout().activate()
            if dock.height() == height:   # no neighbour to take the room
                return
