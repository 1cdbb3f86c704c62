"""The image's Window and Level boxes take their decimals from all of a 4D series' time points, as
the overlay's do: from its first only, a run whose first time point is blank (0 everywhere) and
whose later ones hold 0-0.003 (an ADC map's mm2/s) showed its window as '0.0', and a width
typed as 0.0025 was drawn at 0.1. The range is read once, in the loader's worker: not on the GUI
thread, and not again at a window change. *Full range* and Paint's and Fill's intensity boxes use
the same range since session 46 (the first time point's: a window 0.000001 wide, 1 decimal)."""

from __future__ import annotations

import threading

import numpy as np
from display_panel_items import choose
from editor_helpers import open_image, wait_for_session
from PySide6.QtCore import Qt

from neuroview.app import view_presets
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _type(qtbot, box, text):
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key_Return)


def _open_run(qtbot, window, tmp_path, monkeypatch) -> list:
    """An ADC run whose time point 1 is blank, opened; the threads (and dimensions) of the
    range's reads."""
    data = np.zeros((32, 32, 16, 3), np.float32)   # time point 1 blank
    data[10:22, 10:22, 5:11, 1] = 0.002
    data[10:22, 10:22, 5:11, 2] = 0.003
    save_nifti(data, np.diag([2.0, 2.0, 3.0, 1.0]), tmp_path / "adc_run.nii.gz")
    reads = []
    real = view_presets._range
    monkeypatch.setattr(view_presets, "_range",
                        lambda array: reads.append((threading.current_thread(), array.ndim)) or real(array))
    open_image(qtbot, window, tmp_path / "adc_run.nii.gz")
    return reads


def _read_once_in_a_worker(reads) -> bool:
    every_frame = [thread for thread, ndim in reads if ndim == 4]
    return len(every_frame) == 1 and every_frame[0] is not threading.main_thread()


def test_a_run_with_a_blank_first_time_point_takes_its_later_values(qtbot, window, tmp_path,
                                                                    monkeypatch):
    reads = _open_run(qtbot, window, tmp_path, monkeypatch)
    panel, state = window.display_panel, window.controller.state

    assert window.controller.range == (0.0, float(np.float32(0.003)))
    assert panel.window_box.decimals() == 6   # 0-0.003: three significant digits
    _type(qtbot, panel.window_box, "0.0025")
    _type(qtbot, panel.level_box, "0.0015")
    assert (state.window, state.level) == (0.0025, 0.0015)
    assert (panel.window_box.text(), panel.level_box.text()) == ("0.002500", "0.001500")
    assert _read_once_in_a_worker(reads)   # all time points read once, in a worker


def test_full_range_and_the_intensity_boxes_take_every_time_point(qtbot, window, tmp_path,
                                                                  monkeypatch):
    reads = _open_run(qtbot, window, tmp_path, monkeypatch)
    wait_for_session(qtbot, window)
    panel, state = window.display_panel, window.controller.state
    choose(qtbot, panel.preset_box, "Full range")
    top = float(np.float32(0.003))
    assert (state.window, state.level) == (top, top / 2)   # 0 to 0.003: was 0.000001 wide at 0
    assert (panel.window_box.text(), panel.level_box.text()) == ("0.003000", "0.001500")
    editor = window.edit_actions.panel
    qtbot.mouseClick(editor.tool_buttons["fill"], Qt.LeftButton)
    low = editor.option_widgets["fill"]["intensity_low"]
    qtbot.waitUntil(low.isVisible, timeout=10000)
    assert low.spin.decimals() == 6   # as the Window box: 0.0025 can be typed (was 1 decimal)
    assert _read_once_in_a_worker(reads)   # the range the loader's worker read, not read again
