"""Text that may hold a value of a file (a segment's name, a file's name, a series description)
shown as it is written: Qt takes a label's or a tooltip's text for HTML when it looks like HTML
(``Qt.mightBeRichText``), so a segment named ``<img src="file:///...">`` would load an image, and
``<a href=...>`` would make a link, in a message about it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel


def plain_label(text: str = "") -> QLabel:
    """A label showing ``text`` (and each text set later) as plain text, never as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.PlainText)
    label.setText(text)
    return label


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip (or a static QMessageBox's text) shows it: unchanged, unless Qt would
    take it for HTML, then escaped into HTML that shows the text as written (a tooltip has no
    plain-text setting), its spaces, tabs and lines kept and long lines wrapped at spaces (Qt's
    ``convertFromPlainText`` made every space a no-break space: a long tooltip broke its lines
    inside a word, ``</`` on one line and ``b>`` on the next)."""
    if not GuiQt.mightBeRichText(text):
        return text
    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'
