"""The keys reach the follow-up panes in the window as *File > Open follow-up...* makes it: a child
of the main window turned into a window of its own (``setWindowFlag(Qt.Window)``). That turn took
the keys from the panes, and once shown the window gave them to the first box of its Tab chain,
the *Follow-up* list: Down chose follow-up 2 instead of stepping the slice (s30 walk; the tests of
test_followup_keys.py make the window with no parent, where the panes kept the keys)."""

from __future__ import annotations

import pytest
from followup_views import opened_as_window
from key_presses import press
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


@pytest.fixture
def opened_view(qtbot, three_studies):
    main = QWidget()   # stands in for the main window: the follow-up window's parent
    qtbot.addWidget(main)
    main.show()
    view = opened_as_window(qtbot, three_studies, main)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    yield view   # (main, held here, keeps its child alive)


def test_the_panes_have_the_keys_when_the_window_opens(opened_view, qtbot):
    view, pair = opened_view, opened_view.pair
    assert QApplication.focusWidget() is pair
    depth = pair.state.slice_position_mm("axial")
    press(qtbot, pair, Qt.Key_Down)   # as the user types it
    assert view.index == 0 and view.timepoint.currentIndex() == 0
    assert pair.state.slice_position_mm("axial") == pytest.approx(
        depth - pair.state.slice_step_mm("axial"))
