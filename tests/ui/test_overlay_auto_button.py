"""The overlay's window in the Display panel: *Auto W/L* sets the automatic window it was laid with
again (a window typed or dragged had no way back but laying it again), and the Window and Level
boxes take their decimals from all of a 4D overlay's time points: from its first only, a run
whose first time point is blank (0 everywhere) and whose later ones hold 0-0.003 (an ADC map's
mm2/s) showed its window with one decimal, '0.0', and a width typed as 0.0025 was drawn 0.1."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, write_image
from four_d_run import write_run
from PySide6.QtCore import Qt

from neuroview.app.fusion import automatic_window
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _overlay(qtbot, window, path):
    window.fusion.overlay_path(path, aligned=True)   # a NIfTI: Overlay anyway
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    return window.controller.state.fusion, window.display_panel.fusion_row


def _type(qtbot, box, text):
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key_Return)


def test_auto_sets_the_overlays_automatic_window_again(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    layer, row = _overlay(qtbot, window, write_run(tmp_path, volume))
    laid = (layer.window, layer.level)
    assert laid == automatic_window(layer.volume)
    _type(qtbot, row.window_box, "400")
    _type(qtbot, row.level_box, "200")
    assert (layer.window, layer.level) == (400.0, 200.0)
    assert row.auto_button.isVisibleTo(window.display_panel)

    qtbot.mouseClick(row.auto_button, Qt.LeftButton)
    assert (layer.window, layer.level) == laid
    assert (row.window_box.text(), row.level_box.text()) == (
        row.window_box.textFromValue(laid[0]), row.level_box.textFromValue(laid[1]))


def test_the_boxes_take_their_decimals_from_every_time_point(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    data = np.zeros((*volume.shape, 3), np.float32)   # time point 1 blank
    i, j, k = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(INSIDE_CASE_RAS, 1))[:3].astype(int)
    data[i - 5: i + 6, j - 5: j + 6, k - 3: k + 4, 1] = 0.002
    data[i - 5: i + 6, j - 5: j + 6, k - 3: k + 4, 2] = 0.003
    save_nifti(data, volume.ijk_to_ras, tmp_path / "adc_run.nii.gz")
    layer, row = _overlay(qtbot, window, tmp_path / "adc_run.nii.gz")

    assert row.window_box.decimals() == 6   # 0-0.003: three significant digits
    _type(qtbot, row.window_box, "0.0025")
    _type(qtbot, row.level_box, "0.0015")
    assert (layer.window, layer.level) == (0.0025, 0.0015)
    assert (row.window_box.text(), row.level_box.text()) == ("0.002500", "0.001500")
