"""The length of a ruler being drawn is written below the view's title strip, as the finished
rulers' lengths are: dragged to the top of a view, it sat under the title (Axial, Sagittal...)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from test_measure_export import CYAN, coloured
from test_ruler_edit import open_shown

from neuroview.ui.slice_widget import TITLE_HEIGHT


def picture(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return data[:, : 3 * w].reshape(h, w, 3)


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
