"""A field for a file or folder path that takes one dragged onto it from a file manager, as the
main window takes a drop: the field reads the dropped file's path. A plain ``QLineEdit`` refused a
drag that carries only the file's URL and pasted ``file:///...`` for one that carries text too,
which then opened as "no such file or folder"; a ``file://`` URL typed or pasted reads as its
path too."""

from __future__ import annotations

from PySide6.QtCore import QSize, QUrl
from PySide6.QtWidgets import QLineEdit

from .qt_guard import guard_overrides


def local_path(text: str) -> str:
    """``text`` as typed, pasted or dropped: a ``file://`` URL (a file manager's copy, percent-
    encoded or not) becomes its local path, a path in quotes (Windows Explorer's *Copy as path*,
    a terminal's quoting of a name with spaces) loses them; anything else is kept, stripped."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    if text.lower().startswith("file:"):
        url = QUrl(text)
        if url.isLocalFile():
            return url.toLocalFile()
    return text


@guard_overrides
class PathEdit(QLineEdit):
    """A ``QLineEdit`` whose text is a path; a local file or folder dropped on it replaces it.
    It asks for room for :data:`SHOWN` characters of path, where Qt's line edit asks for 17 (a
    study's folder ``/tmp/walka/study1/t1_sag3d`` read ``ka/study1/t1_sag3d`` in *Open follow-up*);
    a layout short of room still shrinks it."""

    SHOWN = "/home/reader/studies/2026-01-01/MR_T1_SAG_3D_005_"   # 50 characters

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        # the frame and Qt's 2-pixel text margins around the text, as QLineEdit's own hint adds them
        text = self.fontMetrics().horizontalAdvance(self.SHOWN) + 2 * 2 + 2 * 2
        return QSize(max(hint.width(), text), hint.height())

    @staticmethod
    def _dropped(event) -> list[str]:
        data = event.mimeData()
        return [url.toLocalFile() for url in data.urls() if url.isLocalFile()] if data.hasUrls() else []

    def dragEnterEvent(self, event) -> None:
        if self._dropped(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if self._dropped(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        paths = self._dropped(event)
        if not paths:
            super().dropEvent(event)
            return
        self.setText(paths[0])   # one study per field: the first of several dropped
        event.acceptProposedAction()
