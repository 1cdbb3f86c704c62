"""A 4D image's time points played and scrubbed (``ui.time_cine``, ``ui.time_row``): Shift+C (or
the play button) loops the time points at the slices shown, Shift+C again or Esc stops it, the
slider under the *Time point* box follows it and steps it by drag, click or wheel. There was only
the box and Alt+Right / Alt+Left: no cine over time, as a DCE or perfusion run is read."""

from __future__ import annotations

import numpy as np
from editor_helpers import shortcut, write_image
from frame_images import SHAPE, open_and_wait
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication


def run(n=6) -> np.ndarray:
    """``n`` time points, each a flat image of value 100 * (t + 1): a time point reads as its value."""
    return np.stack([np.full(SHAPE, 100.0 * (t + 1), np.float32) for t in range(n)], axis=-1)


def shown_value(window) -> float:
    c = window.controller
    return float(c.shown_volume().frame(c.state.frame)[5, 5, 5])


def test_shift_c_loops_the_time_points_and_stops_on_shift_c_or_esc(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", run(4))
    panel, c = window.display_panel, window.controller
    assert panel.time_row.isVisibleTo(panel) and panel.time_row.slider.maximum() == 4
    window.time_cine.timer.setInterval(10)
    axial_at = c.state.slice_position_mm("axial")
    shortcut(qtbot, window, Qt.Key_C, Qt.ShiftModifier)
    assert window.time_cine.action.isChecked() and panel.play_button.isChecked()
    seen = []
    qtbot.waitUntil(lambda: seen.append(shown_value(window)) or (
        400.0 in seen and seen[-1] < 300.0), timeout=10000)   # to the last, round to the first
    assert set(seen) <= {100.0, 200.0, 300.0, 400.0}
    assert panel.time_row.slider.value() == panel.frame_box.value() == c.state.frame + 1
    assert c.state.slice_position_mm("axial") == axial_at   # the slices stay
    assert window.statusBar().currentMessage().startswith("Playing the time points, 8 a second")
    shortcut(qtbot, window, Qt.Key_C, Qt.ShiftModifier)
    assert not window.time_cine.timer.isActive() and not panel.play_button.isChecked()
    stopped = c.state.frame
    qtbot.wait(60)
    assert c.state.frame == stopped
    qtbot.mouseClick(panel.play_button, Qt.LeftButton)   # the button plays too
    assert window.time_cine.timer.isActive()
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)
    assert not window.time_cine.timer.isActive() and not window.time_cine.action.isChecked()


def test_the_slider_steps_by_wheel_and_click_and_follows_the_box(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", run())
    panel = window.display_panel
    slider = panel.time_row.slider
    centre = QPointF(slider.rect().center())
    wheel = QWheelEvent(centre, QPointF(slider.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(slider, wheel)   # not clicked into first
    assert slider.value() == panel.frame_box.value() == 2 and shown_value(window) == 200.0
    qtbot.mouseClick(slider, Qt.LeftButton, pos=QPoint(slider.width() - 3, slider.height() // 2))
    qtbot.waitUntil(lambda: window.controller.state.frame == 2)   # one page (one time point) on
    panel.frame_box.setValue(5)
    assert slider.value() == 5 and shown_value(window) == 500.0
    path, _ = write_image(tmp_path)   # a 3D image: no row, nothing to play
    open_and_wait(qtbot, window, path)
    assert not panel.time_row.isVisibleTo(panel) and not window.time_cine.action.isEnabled()
    shortcut(qtbot, window, Qt.Key_C, Qt.ShiftModifier)
    assert not window.time_cine.timer.isActive()


def test_a_capital_c_typed_into_a_name_box_stays_there(qtbot, window, tmp_path):
    """A segment renamed "Cyst" while a run is open: its Shift+C plays nothing."""
    from PySide6.QtWidgets import QLineEdit

    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", run())
    box = QLineEdit(window.display_panel)
    box.show()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=5000)
    qtbot.keyClicks(box, "Cyst")
    assert box.text() == "Cyst" and not window.time_cine.timer.isActive()
