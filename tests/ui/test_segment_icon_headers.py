"""The segment list's Show, Lock and Colour columns are titled with an eye, a padlock and a
colour swatch (their words on hover), as 3D Slicer's are. Titled in words they took 125 of the
list's 344 pixels at the dock's default width, and a model's segment corrected by hand and with AI
click read ``…+ drawn + AI click`` beside a 12-character name: the model's name was all gone."""

from __future__ import annotations

import os

import numpy as np
from ai_click_cases import CENTRE, _answered_click, _setup
from editor_helpers import shortcut, stroke
from PySide6.QtCore import Qt
from small_screens import launched_window

MODEL = "lesionseg@2.5.1"
NAME = "Hyperintense"   # 12 characters


def whole(table, row: int, column: int) -> bool:
    """The cell's text fits its column (Qt elides what does not)."""
    text = table.item(row, column).text()
    margin = table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin, None, table)
    return table.columnWidth(column) >= table.fontMetrics().horizontalAdvance(text) + 2 * margin + 2


def test_icon_headers_leave_room_for_a_name_and_the_from_suffix(qtbot, monkeypatch, tmp_path):
    window = launched_window(qtbot, monkeypatch, 1920, 1080)
    session, first, second = _setup(qtbot, window, tmp_path)    # AI click picked (K)
    session.apply_model_result(first.astype(np.uint8), {1: NAME}, model=MODEL)
    value = session.segments[NAME].value
    session.segments.select(value)
    _answered_click(qtbot, window, CENTRE + [24, 0, 0])         # AI click adds the second blob
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    shortcut(qtbot, window, Qt.Key_P)
    stroke(window, "axial", [CENTRE + [0, 14, 0], CENTRE + [6, 14, 0]])   # and a brush stroke
    panel = window.edit_actions.panel
    table = panel.table
    qtbot.waitUntil(lambda: table.item(0, 4).text() == f"{MODEL} + drawn + AI click", timeout=10000)
    qtbot.wait(100)
    panel.grab().save(os.fspath(tmp_path / "segments_default_width.png"))   # paints the cells
    header = table.horizontalHeader()
    for column, word in enumerate(("Show", "Lock", "Colour")):
        item = table.horizontalHeaderItem(column)
        assert item.text() == "" and not item.icon().isNull()
        tip = table.model().headerData(column, Qt.Horizontal, Qt.ToolTipRole)   # what a hover shows
        assert tip.startswith(f"{word}: "), tip
        assert not item.icon().pixmap(16, 16).toImage().isNull()
    assert [table.horizontalHeaderItem(c).text() for c in (3, 4)] == ["Name", "From"]
    assert sum(table.columnWidth(c) for c in range(3)) <= 80       # 125 with words
    assert header.sectionSize(0) >= table.sizeHintForColumn(0)    # the check boxes still fit
    assert table.item(0, 3).text() == NAME and whole(table, 0, 3)
    shown = table.itemDelegateForColumn(4).shown[0]
    assert shown.endswith(" + drawn + AI click"), shown
    assert shown.startswith("les"), shown                           # the model's name begins it
    viewport = table.viewport().width()
    assert table.visualItemRect(table.item(0, 4)).right() < viewport   # no scrolling
