"""*View > Invert grey scale* (**I**): the slice views draw the image with its grey scale turned
over (the lowest value white), as PACS viewers' invert, to read a faint lesion's edge or a
radiograph-like picture; **I** again turns it back, and another image opens upright. A DICOM
MONOCHROME1 image, already drawn inverted, is drawn in its stored values' order."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


class InvertAction:
    """The checkable *Invert grey scale* action of the *View* menu."""

    def __init__(self, window, menu) -> None:
        self.main_window = window
        self.action = QAction("Invert grey scale", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("I"))
        self.action.toggled.connect(self._toggled)
        menu.addAction(self.action)
        window.controller.volume_changed.connect(self._upright)

    def _toggled(self, on: bool) -> None:
        controller = self.main_window.controller
        if controller.state is None:
            self._upright()
            return
        controller.set_inverted(on)
        self.main_window.notices.status("Grey scale inverted (I turns it back)" if on else
                                        "Grey scale upright")

    def _upright(self) -> None:
        """Another image (or none) opens upright, the menu's check with it."""
        self.action.blockSignals(True)
        self.action.setChecked(False)
        self.action.blockSignals(False)
