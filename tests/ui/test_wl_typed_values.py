"""Typing a CT window into the *Window* and *Level* boxes as a user does (keys into the window's
handle, so Qt's shortcuts see them): a negative level such as -50 (fat, the lung window's -600)
keeps its minus sign, and a width of 0, which draws nothing, is refused in one line with the
smallest width drawn instead of snapping back to the old value with no word."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image
from followup_views import followup_view  # noqa: F401
from key_presses import type_key
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

KEYS = {"-": Qt.Key_Minus, **{str(digit): getattr(Qt, f"Key_{digit}") for digit in range(10)}}


def type_keys(window, box, text: str) -> None:
    """Click into ``box``, select its text, and type ``text`` key by key, then Enter."""
    QTest.mouseClick(box.lineEdit(), Qt.LeftButton)
    box.lineEdit().selectAll()
    for char in text:
        type_key(window, KEYS[char])
    type_key(window, Qt.Key_Return)


def test_a_negative_level_and_a_zero_width_typed(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    state, panel = window.controller.state, window.display_panel
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton)
    type_keys(window, panel.level_box, "-50")
    assert np.isclose(state.level, -50.0) and panel.level_box.value() == -50.0
    type_keys(window, panel.window_box, "0")
    assert state.window == 0.1 and panel.window_box.value() == 0.1
    assert window.notice_bar.text == "Window width 0 draws nothing: drawn at the smallest width, 0.1"


def test_followup_negative_level(followup_view, qtbot):  # noqa: F811
    pair, wl = followup_view.pair, followup_view.wl
    type_keys(followup_view, wl.level_box, "-50")
    assert pair.state.level == -50.0
    type_keys(followup_view, wl.window_box, "0")
    assert pair.state.window == 0.1 and wl.window_box.value() == 0.1
    assert followup_view.status.text() == "Window width 0 draws nothing: drawn at the smallest width, 0.1"
