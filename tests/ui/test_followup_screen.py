"""The follow-up window opens within the screen: a 1366x768 laptop at 125 % has 1093 x 614 points
of room, 1920x1080 at 200 % 960 x 540; the window opened 1000 x 700, its lesion table and status
line below the screen's edge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen

from neuroview.app.followup_report import ReportInfo


@pytest.mark.parametrize("room", [(1093, 614), (960, 540)])
def test_the_window_opens_within_a_laptop_screen(three_studies, qtbot, monkeypatch, room):
    from neuroview.ui.followup_window import FollowupWindow

    room = QRect(0, 0, *room)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: room)
    view = FollowupWindow(*three_studies, info=ReportInfo(masks_by="drawn by the test"))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.width() <= room.width() and view.height() <= room.height() - 40
    assert view.height() >= view.minimumSizeHint().height()   # everything still laid out
    assert view.status.geometry().bottom() < view.height() and view.pair.height() >= 200
