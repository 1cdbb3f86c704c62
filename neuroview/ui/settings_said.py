"""A settings file of the user's that cannot be read (``core.settings_file``) said in the window's
notice bar: the line may come from any thread, so it crosses to the GUI thread by a signal. The
file is named by name and folder, as the error bar names files (``app.error_paths``)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..app.error_paths import short_error
from ..core.settings_file import listen


class _Said(QObject):
    said = Signal(str)


class _Shower(QObject):
    """Shows the lines in its notice bar; a child of the bar, so that the signal lets go of a
    closed window's bar (a lambda would keep calling it)."""

    def __init__(self, notice_bar) -> None:
        super().__init__(notice_bar)
        self.notice_bar = notice_bar

    def show(self, line: str) -> None:
        self.notice_bar.add(short_error(line))


_bridge: _Said | None = None


def show_settings_said(notice_bar) -> None:
    """Add each line said about a damaged settings file to ``notice_bar``: those said before (the
    window reads its recent list as it starts) at once, later ones as they are said."""
    global _bridge
    if _bridge is None:
        _bridge = _Said()
    waiting = listen(_bridge.said.emit)
    shower = _Shower(notice_bar)
    _bridge.said.connect(shower.show)
    for line in waiting:
        shower.show(line)
