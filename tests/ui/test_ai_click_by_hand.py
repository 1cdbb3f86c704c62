"""A segment made with AI click and then corrected with the brush reads ``drawn + AI click`` in the
segment editor's From column, and Ctrl+Z of that one stroke gives back ``AI click`` (until session
26 the brush left it ``AI click``: a mask a person corrected by hand did not say so)."""

from __future__ import annotations

import json

import numpy as np
from ai_click_cases import CENTRE, _answered_click, _setup
from editor_helpers import shortcut, stroke
from PySide6.QtCore import Qt
from training_dialog_steps import send_active_segment


def _clicked_then_painted(qtbot, window, tmp_path):
    """An AI click object on the first blob accepted, then one brush stroke on the other blob."""
    session, _first, second = _setup(qtbot, window, tmp_path)
    _answered_click(qtbot, window, CENTRE)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    value = session.active_segment
    table = window.edit_actions.panel.table
    assert table.item(0, 4).text() == "AI click"
    clicked = session.labels.array.copy()
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="2d")
    stroke(window, "axial", [CENTRE + [24, 0, 0]])                   # the other blob, by hand
    assert ((session.labels.array == value) & second).sum() > ((clicked == value) & second).sum()
    return session, clicked


def test_a_brush_stroke_into_an_ai_click_segment_reads_drawn_and_undoes(qtbot, window, tmp_path):
    session, clicked = _clicked_then_painted(qtbot, window, tmp_path)
    table = window.edit_actions.panel.table
    assert table.item(0, 4).text() == "drawn + AI click"
    assert table.item(0, 4).toolTip() == "drawn + AI click grow-from-seeds, 1 prompt"
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert np.array_equal(session.labels.array, clicked)
    assert table.item(0, 4).text() == "AI click"


def test_send_says_the_ai_click_segment_was_corrected_by_hand(qtbot, window, tmp_path):
    session, _clicked = _clicked_then_painted(qtbot, window, tmp_path)
    name, dataset = send_active_segment(qtbot, window, session, tmp_path)
    assert f"AI click: {name} + drawn" in window.notice_bar.text
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert [(s["source"], s["hand_edited"]) for s in record["segments"]] == [("drawn+interactive", True)]
