"""Dock panels that scroll when the window is short, so the main window fits a small screen: a
768-pixel laptop, or a 1080-pixel one at 200 % scale (960x540 logical pixels)."""

from __future__ import annotations

from PySide6.QtCore import Qt
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


def scrolled(panel) -> PanelScroll:
    """``panel`` in a :class:`PanelScroll`, as wide as the panel needs (no horizontal bar)."""
    scroll = PanelScroll()
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    scroll.setMinimumWidth(panel.minimumSizeHint().width()
                           + scroll.verticalScrollBar().sizeHint().width())
    return scroll
