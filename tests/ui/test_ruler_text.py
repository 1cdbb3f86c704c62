"""The ruler's length is written on a dark box, readable over bright tissue (screen pixels)."""

from __future__ import annotations

from editor_helpers import grab, open_image, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_ruler_text_has_a_dark_box_over_bright_tissue(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)             # a bright ball (radius 30 mm) in the middle
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    cx, cy = axial.width() // 2, axial.height() // 2
    start, end = QPoint(cx - 70, cy - 30), QPoint(cx - 55, cy - 30)
    region = (slice(end.y() - 9, end.y()), slice(end.x() + 8, end.x() + 34))   # where the text goes
    before = grab(axial)[region]
    assert before[..., 0].min() > 200                                           # bright tissue
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(cx - 100, cy + 60))        # focus the view
    type_key(window, Qt.Key_F3)                            # Ruler mode
    assert window.controller.mode == "ruler"
    qtbot.mousePress(axial, Qt.LeftButton, pos=start)
    qtbot.mouseMove(axial, end)
    qtbot.mouseRelease(axial, Qt.LeftButton, pos=end)
    assert len(window.controller.rulers) == 1
    after = grab(axial)[region]
    # the text is cyan (red 0) on a dark box: no bright tissue shows between the letters
    assert after[..., 0].max() < 90, after[..., 0].max()
    assert (after[..., 2] > 150).sum() > 10                                     # the text itself
