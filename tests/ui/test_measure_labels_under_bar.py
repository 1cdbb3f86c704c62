"""A ruler's length near the top of a view is drawn below a notice bar floating there, not under
it: the labels kept below the title strip only, and a notice (a restore question, a warning
about the image) hid them as long as it showed (``MainWindow.bars``, ``SliceViewWidget.covered_to``)."""

from __future__ import annotations

import numpy as np
from measure_drawing import CYAN, coloured, drag
from ruler_cases import open_shown
from ruler_pictures import picture

from neuroview.ui.slice_widget import TITLE_HEIGHT


def test_a_rulers_length_is_drawn_below_a_notice_bar(qtbot, window, tmp_path):
    open_shown(qtbot, window, tmp_path)
    axial = window.slice_views["axial"]
    window.mode_actions["ruler"].trigger()
    y = TITLE_HEIGHT + 8   # a ruler just below the title strip, where the bar floats
    drag(qtbot, axial, (60, y), (200, y))
    assert len(window.controller.rulers) == 1
    window.notice_bar.tell("A notice over the views")
    covered = window.bars.covered_to(axial)
    assert covered > y + 10, "the bar covers the ruler's row"

    def label_rows():
        cyan = coloured(picture(axial), CYAN, 20)
        cyan[y - 4:y + 5] = False   # the line itself (it lies under the bar: that is fine)
        return np.flatnonzero(cyan.any(axis=1))

    qtbot.waitUntil(lambda: label_rows().size > 0 and label_rows().min() >= covered, timeout=5000)
    window.notice_bar.hide()   # the bar gone: the length comes back beside its ruler
    assert window.bars.covered_to(axial) == 0
    qtbot.waitUntil(lambda: label_rows().size > 0 and label_rows().max() < covered, timeout=5000)
