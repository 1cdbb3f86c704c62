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


FILLS_WIDTH = 0.85
"""A window wanting more than this share of the screen's width opens maximised (it nearly fills
it anyway)."""


def opening_size(window, room) -> tuple[int, int, bool]:
    """The main window's first size on a screen with ``room`` (its available geometry): (width,
    height, maximised). Its own size, as tall as its panels want, where the screen has room for
    that with its title bar (1200 x 864 on 1920x1080 or 1600x1000); else the whole screen,
    maximised, as 3D Slicer opens: a 1366x768 laptop got a 1200-pixel window with 166 pixels of
    desktop beside it, and a 1440x900 screen a window 4 pixels short of its panels."""
    width, height = window.width(), max(window.height(), window.sizeHint().height())
    if width <= FILLS_WIDTH * room.width() and height <= room.height() - TITLE_BAR:
        return width, height, False
    return room.width(), room.height() - TITLE_BAR, True
