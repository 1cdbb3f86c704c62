"""The installed PySide6 keeps Python's reference counts: PySide6 6.12.0 dropped a reference to
None on nearly every Qt method that returns nothing (QWidget.update, QPainter.drawLine...), so a
long session aborted with "Fatal Python error: none_dealloc". constraints.txt pins a release
without it; this test fails on one that has it."""

from __future__ import annotations

import sys

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget


def test_methods_that_return_nothing_keep_none_alive(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(200):
        widget.update()
        widget.setMouseTracking(True)
        painter.drawLine(0, 0, 4, 4)
    after = sys.getrefcount(None)
    painter.end()
    assert before - after < 50, f"{before - after} references to None lost in 600 calls"
