"""Windows and dialogs open within the screen they appear on: a 1366x768 laptop at 125 % has
1093 x 614 points of room, 1920x1080 at 200 % 960 x 540, a portrait 2048x2560 monitor at 200 %
1024 points of width; a window asking for more opened past the screen's edge."""

from __future__ import annotations

TITLE_BAR = 40
"""Points kept free below a window for its title bar and frame (as the main window's first size)."""


def resize_within_screen(widget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, at most the room of its screen."""
    screen = widget.screen()
    if screen is None:
        widget.resize(width, height)
        return
    room = screen.availableGeometry()
    widget.resize(min(width, room.width()), min(height, room.height() - TITLE_BAR))
