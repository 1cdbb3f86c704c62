"""The follow-up window's lesion table has room: the panes and the table share the height through
a splitter the user drags, and the window opens with room for 10 lesions under the panes (the
table had a fixed fourth of the height: 3 rows and a half of a 1000 x 700 window, s27)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QMouseEvent, QScreen
from PySide6.QtWidgets import QApplication

from neuroview.app.followup_report import ReportInfo


def open_window(qtbot, studies, size=None):
    from neuroview.ui.followup_window import FollowupWindow

    view = FollowupWindow(*studies, info=ReportInfo(masks_by="drawn by the test"))
    qtbot.addWidget(view)
    if size is not None:
        view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


def rows_in_sight(table) -> int:
    """Rows drawn whole in the table's viewport."""
    room = table.viewport().rect()
    return sum(room.contains(table.visualItemRect(table.item(r, 0))) for r in range(table.rowCount()))


@pytest.mark.parametrize("size", [None, (1000, 700)])
def test_the_table_opens_with_room_for_ten_lesions(three_studies, qtbot, monkeypatch, size):
    """At the size the window opens on a 1920 x 1080 screen, and at 1000 x 700: every row of the
    table across time points (7 lesions) in sight, room for 10, the panes keeping the larger share."""
    room = QRect(0, 0, 1920, 1040)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: room)
    view = open_window(qtbot, three_studies, size)
    view.table_choice.setCurrentIndex(1)
    table = view.table
    assert table.rowCount() == 7
    assert rows_in_sight(table) == 7
    assert table.viewport().height() >= 10 * table.rowHeight(0)
    assert view.pair.height() > view.splitter.widget(1).height()
    assert view.status.geometry().bottom() < view.height()


def drag_handle(qtbot, splitter, dy: int) -> None:
    """A left drag of the line between the panes and the table, ``dy`` points down."""
    handle = splitter.handle(1)
    start = QPointF(handle.width() / 2, handle.height() / 2)
    origin = QPointF(handle.mapToGlobal(QPoint(0, 0)))   # the handle moves under the pointer
    for kind, pos, buttons in ((QMouseEvent.MouseButtonPress, start, Qt.LeftButton),
                               (QMouseEvent.MouseMove, start + QPointF(0, dy / 2), Qt.LeftButton),
                               (QMouseEvent.MouseMove, start + QPointF(0, dy), Qt.LeftButton),
                               (QMouseEvent.MouseButtonRelease, start + QPointF(0, dy), Qt.NoButton)):
        event = QMouseEvent(kind, handle.mapFromGlobal(origin + pos), origin + pos,
                            Qt.LeftButton, buttons, Qt.NoModifier)
        QApplication.sendEvent(handle, event)
    qtbot.wait(50)


def test_dragging_the_line_above_the_table_shares_the_height(three_studies, qtbot):
    view = open_window(qtbot, three_studies, (1000, 700))
    table, pair = view.table, view.pair
    height, rows_room, pair_height = view.height(), table.viewport().height(), pair.height()
    drag_handle(qtbot, view.splitter, -120)   # up: a taller table
    assert table.viewport().height() == pytest.approx(rows_room + 120, abs=2)
    assert pair.height() == pytest.approx(pair_height - 120, abs=2)
    assert view.height() == height
    drag_handle(qtbot, view.splitter, 240)    # down: the panes get it back, and more
    assert pair.height() == pytest.approx(pair_height + 120, abs=2)
    assert view.height() == height
    assert QPoint(0, 0) == pair.pos()   # the panes stay at the top of the splitter
