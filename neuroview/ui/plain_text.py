"""Text that may hold a value of a file (a segment's name, a file's name, a series description)
shown as it is written: Qt takes a label's or a tooltip's text for HTML when it looks like HTML
(``Qt.mightBeRichText``), so a segment named ``<img src="file:///...">`` would load an image, and
``<a href=...>`` would make a link, in a message about it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel


def plain_label() -> QLabel:
    """A label showing its text as plain text, never as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.PlainText)
    return label


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip (or a static QMessageBox's text) shows it: unchanged, unless Qt would
    take it for HTML, then escaped into HTML that shows the text as written (a tooltip has no
    plain-text setting)."""
    return GuiQt.convertFromPlainText(text) if GuiQt.mightBeRichText(text) else text
