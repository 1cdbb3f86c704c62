"""A file dragged from a file manager and dropped on a widget, as the tests send it."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication


def drop_on(widget, mime: QMimeData) -> None:
    """A drag over ``widget`` and a drop on it, as a file manager sends them."""
    centre = widget.rect().center()
    for event in (QDragEnterEvent(centre, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier),
                  QDragMoveEvent(centre, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)):
        QApplication.sendEvent(widget, event)
    QApplication.sendEvent(widget, QDropEvent(QPointF(centre), Qt.CopyAction, mime,
                                              Qt.LeftButton, Qt.NoModifier))


def file_drag(path, with_text: bool) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    if with_text:   # what many file managers add: the URL as text
        mime.setText(QUrl.fromLocalFile(str(path)).toString(QUrl.FullyEncoded) + "\r\n")
    return mime
