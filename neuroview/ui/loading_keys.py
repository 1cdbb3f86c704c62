"""Keys pressed while the first image is still loading: the views have nothing to act on yet and
the keys are lost, so the status line says once per open that the image is still loading (it said
nothing: a user pressing Up or 0 on a slow network folder saw no answer and thought the window
hung). Watched on the views and the window only (a key no view took reaches the window), not the
application: nothing is added to the events of the rest of the session."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt

from .qt_guard import guard_overrides

STILL_LOADING = "Still loading the image: keys act on the views once it is on screen."
MODIFIERS = {Qt.Key_Shift, Qt.Key_Control, Qt.Key_Alt, Qt.Key_Meta, Qt.Key_AltGr}
"""Alone, no key press (the Ctrl of Ctrl+O)."""


@guard_overrides
class LoadingKeys(QObject):
    """Says :data:`STILL_LOADING` at the first key pressed in ``window``'s views (or left to the
    window) while ``window.first_image_loading()`` names an open, once for that open."""

    def __init__(self, window, views) -> None:
        super().__init__(window)
        self.main_window = window
        self.said = None   # the open whose wait was said
        for widget in (window, *views):
            widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.KeyPress and event.key() not in MODIFIERS:
            opening = self.main_window.first_image_loading()
            if opening is not None and opening != self.said:
                self.said = opening
                self.main_window.notices.status(STILL_LOADING)
        return False
