"""The Window and Level boxes of an image with a small intensity range (an ADC map in mm2/s,
0-0.003): they showed 0.1 and 0.0 (one decimal, window at least 0.1), and clicking into a box and
back onto a view set the window to those numbers: the image went flat grey, "Custom"."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image
from PySide6.QtCore import QPoint, Qt

from neuroview.app.view_presets import window_decimals
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def adc_map(folder):
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in (48, 48, 24)], indexing="ij"), axis=-1)
    r = np.linalg.norm((ijk - [24, 24, 12]) * [2.0, 2.0, 3.0], axis=-1)
    noise = np.random.default_rng(3).normal(0, 3e-5, r.shape)
    array = np.where(r < 40, 0.0008 + 0.0022 * (r < 12) + noise, 0.0).astype(np.float32)
    path = folder / "adc.nii.gz"
    save_nifti(array, np.diag([2.0, 2.0, 3.0, 1.0]), path)
    return path


def test_the_boxes_show_a_small_window_and_leaving_them_keeps_it(qtbot, window, tmp_path):
    open_image(qtbot, window, adc_map(tmp_path))
    state, panel = window.controller.state, window.display_panel
    auto = (state.window, state.level)
    assert 0.001 < auto[0] < 0.004
    for box, value in ((panel.window_box, auto[0]), (panel.level_box, auto[1])):
        assert abs(float(box.cleanText()) - value) < 1e-6 * 5, box.cleanText()
    assert panel.preset_box.currentText() == "Auto (percentiles)"
    qtbot.mouseClick(panel.level_box.lineEdit(), Qt.LeftButton)   # into the box and out again
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, pos=QPoint(80, 80))
    panel.level_box.editingFinished.emit()   # as focus leaving the box does (no window manager)
    assert (state.window, state.level) == auto
    assert panel.preset_box.currentText() == "Auto (percentiles)"
    panel.level_box.lineEdit().selectAll()                       # a level typed: only it changes
    qtbot.keyClicks(panel.level_box.lineEdit(), "0.0015")
    qtbot.keyClick(panel.level_box.lineEdit(), Qt.Key_Return)
    assert state.level == 0.0015 and state.window == auto[0]
    assert panel.preset_box.currentText() == "Custom"


def test_decimals_follow_the_intensity_range():
    assert window_decimals(-1024, 3071) == 1 and window_decimals(0, 255) == 1
    assert window_decimals(0, 1.0) == 3 and window_decimals(0, 0.003) == 6
    assert window_decimals(5, 5) == 1 and window_decimals(0, 1e-30) == 10


def test_the_wheel_on_a_box_clicked_into_changes_the_window_and_elsewhere_nothing(
        qtbot, window, tmp_path):
    """The wheel over the Window box changed its number, not the window: the box said 349 over an
    image drawn at 348. Now the wheel over a box not clicked into leaves both (it scrolls the
    panel), and on a box clicked into it changes the window at once. The same for the *Preset* and
    *Slices* lists: the wheel over them chose another preset or plane mode."""
    from editor_helpers import write_image
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    state, box = window.controller.state, window.display_panel.window_box
    before = state.window
    pos = QPointF(20, box.height() / 2)

    def wheel(widget=box):
        QApplication.sendEvent(widget, QWheelEvent(pos, widget.mapToGlobal(pos), QPoint(0, 0),
                                                   QPoint(0, -120), Qt.NoButton, Qt.NoModifier,
                                                   Qt.NoScrollPhase, False))
    panel = window.display_panel
    for widget in (box, panel.preset_box, panel.orientation_box):   # scrolling over the panel
        wheel(widget)
    assert state.window == before and box.value() == round(before, box.decimals())
    assert panel.preset_box.currentText() == "Auto (percentiles)"
    assert state.orientation_mode == "anatomical" and panel.orientation_box.currentIndex() == 0
    qtbot.mouseClick(box.lineEdit(), Qt.LeftButton)
    qtbot.waitUntil(box.hasFocus, timeout=10000)
    wheel()
    assert box.value() != round(before, box.decimals()) and state.window == box.value()
    assert window.display_panel.preset_box.currentText() == "Custom"
