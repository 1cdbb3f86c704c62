"""The Display panel's window/level presets: offered by modality, "Custom" after a manual window."""

from __future__ import annotations

import numpy as np
from display_panel_items import choose, items
from editor_helpers import open_image, write_image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolBar

from neuroview.app.view_presets import CT_PRESETS
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def drag(widget, start, end, button=Qt.LeftButton) -> None:
    def send(kind, pos, b, bs):
        QApplication.sendEvent(widget, QMouseEvent(kind, QPointF(*pos), widget.mapToGlobal(QPointF(*pos)),
                                                   b, bs, Qt.NoModifier))
    send(QEvent.MouseButtonPress, start, button, button)
    for t in np.linspace(0, 1, 6)[1:]:
        send(QEvent.MouseMove, np.add(start, t * np.subtract(end, start)), Qt.NoButton, button)
    send(QEvent.MouseButtonRelease, end, button, Qt.NoButton)


def test_mr_gets_no_ct_presets_and_a_drag_says_custom(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)             # synthetic MR, NIfTI (no modality in the header)
    open_image(qtbot, window, path)
    panel = window.display_panel
    box = panel.preset_box
    assert not set(CT_PRESETS) & set(items(box))
    assert box.currentText() == "Auto (percentiles)"
    auto = (window.controller.state.window, window.controller.state.level)
    tool_bar = window.findChild(QToolBar, "mouse-mode")
    qtbot.mouseClick(tool_bar.widgetForAction(window.mode_actions["window-level"]), Qt.LeftButton)
    assert window.controller.mode == "window-level"
    drag(window.slice_views["axial"], (100, 100), (160, 90))
    assert (window.controller.state.window, window.controller.state.level) != auto
    assert box.currentText() == "Custom"
    choose(qtbot, box, "Auto (percentiles)")
    assert np.allclose((window.controller.state.window, window.controller.state.level), auto)
    assert box.currentText() == "Auto (percentiles)"
    choose(qtbot, box, "Custom")                 # shown, not choosable: nothing changes
    assert np.allclose((window.controller.state.window, window.controller.state.level), auto)


def test_ct_nifti_gets_the_ct_presets(qtbot, window, tmp_path):
    ct = np.full((40, 40, 30), -1000, dtype=np.int16)           # air around a head of brain HU
    ct[8:32, 8:32, 5:25] = 35
    ct[8:32, 8:32, 5:7] = 900                                   # a bone plate
    path = tmp_path / "ct.nii.gz"
    save_nifti(ct, np.diag([0.8, 0.8, 2.0, 1.0]), path)
    open_image(qtbot, window, path)
    box = window.display_panel.preset_box
    assert set(CT_PRESETS) <= set(items(box))
    assert box.currentText() == "Brain"                          # the CT default window
    choose(qtbot, box, "Lung")
    assert (window.controller.state.window, window.controller.state.level) == (1500.0, -600.0)
    assert window.display_panel.window_box.value() == 1500.0
    assert box.currentText() == "Lung"
    window.display_panel.level_box.setFocus(Qt.MouseFocusReason)
    window.display_panel.level_box.lineEdit().selectAll()
    qtbot.keyClicks(window.display_panel.level_box.lineEdit(), "-500")
    qtbot.keyClick(window.display_panel.level_box.lineEdit(), Qt.Key_Return)
    assert window.controller.state.level == -500.0
    assert box.currentText() == "Custom"


def test_no_number_before_an_image_then_the_image_window(qtbot, window, tmp_path):
    panel = window.display_panel
    for box in (panel.window_box, panel.level_box):   # was "0.1" and "0.0" with nothing open
        assert not any(ch.isdigit() for ch in box.lineEdit().text()), box.lineEdit().text()
        assert not box.isEnabled()
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    state = window.controller.state
    for box, value in ((panel.window_box, state.window), (panel.level_box, state.level)):
        assert box.isEnabled()
        assert float(box.lineEdit().text().replace(",", "")) == round(value, 1)


def test_auto_window_of_a_two_valued_image_spans_both_values(qtbot, window, tmp_path):
    mask = np.zeros((40, 40, 40), np.uint8)
    mask[10:30, 10:30, 10:30] = 1                 # a mask opened as an image
    path = tmp_path / "mask_as_image.nii.gz"
    save_nifti(mask, np.diag([2.0, 2.0, 2.0, 1.0]), path)
    open_image(qtbot, window, path)
    panel = window.display_panel

    def shown_range():
        window_, level = panel.window_box.value(), panel.level_box.value()
        return level - window_ / 2, level + window_ / 2

    low, high = shown_range()                     # the window it opens with
    assert low <= 0.0 < 1.0 <= high and high - low <= 1.0 + 1e-6, (low, high)
    choose(qtbot, panel.preset_box, "Full range")
    choose(qtbot, panel.preset_box, "Auto (percentiles)")
    assert np.allclose(shown_range(), (low, high))


def test_auto_window_of_a_label_image_shows_every_label_apart_from_background(qtbot, window, tmp_path):
    """Found using the window: a label map with labels 1, 2, 3 opened as an image drew 1 as black
    as the background (the percentiles of the non-zero voxels put 1 at the window's bottom)."""
    from editor_helpers import grab, pixel_of

    labels = np.zeros((40, 40, 20), np.uint8)
    labels[4:14, 4:36, :] = 3                      # a large 3, then 2, and a small 1
    labels[16:26, 4:36, :] = 2
    labels[28:34, 14:20, :] = 1
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    path = tmp_path / "aseg_as_image.nii.gz"
    save_nifti(labels, affine, path)
    open_image(qtbot, window, path)
    qtbot.wait(100)
    window.slice_views["axial"].repaint()
    shot = grab(window.slice_views["axial"])

    def grey(ijk):
        x, y = pixel_of(window, "axial", affine[:3, :3] @ np.asarray(ijk, float))
        return float(shot[int(y) - 1:int(y) + 2, int(x) - 1:int(x) + 2].mean())

    k = window.controller.volume.ras_to_voxel(window.controller.state.crosshair_ras)[2]
    levels = [grey((i, j, k)) for i, j in ((36, 30), (31, 17), (21, 20), (9, 20))]   # 0, 1, 2, 3
    assert [labels[i, j, k] for i, j in ((36, 30), (31, 17), (21, 20), (9, 20))] == [0, 1, 2, 3]
    assert levels[0] < 10 and all(b - a > 40 for a, b in zip(levels, levels[1:])), levels
