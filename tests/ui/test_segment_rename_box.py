"""The Segment editor's rename box has room for a 12-character name at the default 1200-pixel
window, beside a long *From* (``lesionseg@2.5.1 + drawn + AI click``): it was as narrow as the
Name column (42 pixels for ``lesion``) and the name scrolled out of sight as it was typed. The
box lies over the From column while you type; the columns and the dock keep their widths."""

from __future__ import annotations

import os

import numpy as np
from ai_click_cases import CENTRE, _answered_click, _setup
from editor_helpers import stroke
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

NAME = "lesion-cortx"   # 12 characters


def test_a_12_character_name_is_typed_whole_at_1200_pixels(qtbot, window, tmp_path):
    window.resize(1200, 860)
    session, first, second = _setup(qtbot, window, tmp_path)
    proposal = np.zeros(session.labels.shape, np.uint8)
    proposal[second] = 1
    session.apply_model_result(proposal, {1: "lesion"}, "lesionseg@2.5.1")
    session.active_segment = session.segments["lesion"].value
    panel = window.edit_actions.panel
    table = panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1)
    panel.select_tool("paint")                                  # painted into: + drawn
    stroke(window, "axial", [CENTRE + [24, 0, 0], CENTRE + [26, 2, 0]])
    panel.select_tool("ai-click")                              # an AI click object: + AI click
    _answered_click(qtbot, window, CENTRE)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    full = "lesionseg@2.5.1 + drawn + AI click"
    qtbot.waitUntil(lambda: table.item(0, 4).text() == full, timeout=10000)
    assert table.item(0, 4).toolTip().startswith(full)         # the From text whole on hover
    dock, widths = window.edit_actions.dock.width(), [table.columnWidth(c) for c in range(5)]

    table.setFocus()
    table.setCurrentCell(0, 3)
    qtbot.keyClick(table, Qt.Key_F2)                           # rename, from the keys
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, NAME)
    window.edit_actions.panel.grab().save(os.fspath(tmp_path / "renaming.png"))
    # the whole name in sight: the cursor at its end, not scrolled (it sat at the box's edge)
    assert editor.cursorRect().center().x() >= editor.fontMetrics().horizontalAdvance(NAME)
    assert editor.geometry().right() < table.viewport().width()
    assert [table.columnWidth(c) for c in range(5)] == widths
    assert window.edit_actions.dock.width() == dock

    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: table.item(0, 3).text() == NAME, timeout=5000)
    assert session.segments.get(1).name == NAME
