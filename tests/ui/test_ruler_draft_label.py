"""The length of a ruler being drawn is written below the view's title strip, as the finished
rulers' lengths are: dragged to the top of a view, it sat under the title (Axial, Sagittal...)."""

from __future__ import annotations

from measure_drawing import CYAN, coloured
from PySide6.QtCore import QPoint, Qt
from ruler_cases import open_shown
from ruler_pictures import picture

from neuroview.ui.slice_widget import TITLE_HEIGHT


def test_the_draft_rulers_length_is_drawn_below_the_title_strip(qtbot, window, tmp_path):
    open_shown(qtbot, window, tmp_path)
    axial = window.slice_views["axial"]
    window.mode_actions["ruler"].trigger()
    qtbot.mousePress(axial, Qt.LeftButton, pos=QPoint(40, 150))
    qtbot.mouseMove(axial, QPoint(30, TITLE_HEIGHT + 4))   # the end just below the title strip
    cyan = coloured(picture(axial), CYAN, 20)
    assert cyan[TITLE_HEIGHT + 2:].sum() > 40, "the draft and its length are drawn"
    assert not cyan[:TITLE_HEIGHT].any(), "the length is drawn in (under) the title strip"
    qtbot.mouseRelease(axial, Qt.LeftButton, pos=QPoint(30, TITLE_HEIGHT + 4))
    assert len(window.controller.rulers) == 1
