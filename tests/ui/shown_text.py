"""What a user reads where Qt shows text that looks like HTML as HTML, and a file's name that does."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

NAME = "<img src=x><font size=7 color=red>x.nii.gz"   # a file's name: no '/'


def as_read(text: str, text_format) -> str:
    """What a user reads in a label (or a tooltip, ``Qt.AutoText``) given ``text``."""
    if text_format == Qt.PlainText or not QtGui.Qt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()
