"""The follow-up window (a window of its own, as *File > Open follow-up...* makes it) closes by a
Close button and by Esc, as the app's other non-modal windows do: it had only the title bar's X."""

from __future__ import annotations

import pytest
from followup_views import opened_as_window
from key_presses import press
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget


@pytest.fixture
def view(qtbot, three_studies):
    main = QWidget()   # stands in for the main window: the follow-up window's parent
    qtbot.addWidget(main)
    main.show()
    yield opened_as_window(qtbot, three_studies, main)


def test_the_close_button_closes_it(view, qtbot):
    named = [b for b in view.findChildren(QAbstractButton)
             if b.text().replace("&", "") == "Close" and b.isVisible()]
    assert len(named) == 1, [b.text() for b in view.findChildren(QAbstractButton)]
    qtbot.mouseClick(named[0], Qt.LeftButton)
    qtbot.waitUntil(lambda: view.closed, timeout=10000)


def test_esc_closes_it_with_the_keys_in_the_panes(view, qtbot):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.pair)
    press(qtbot, view.pair, Qt.Key_Escape)   # as the user types it, where the keys are
    qtbot.waitUntil(lambda: view.closed, timeout=10000)
