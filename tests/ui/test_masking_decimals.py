"""Paint's and Fill's *Only intensity from / to* boxes on a float image (a normalised MRI, 0-1):
they showed one decimal, so *Use for masking* showed 0.35 as 0.4 and a range such as 0.35-0.62
could not be typed (the box refused the second decimal). Now they take the decimals the Window
and Threshold boxes use for the image's range (``window_decimals``); an integer image keeps whole
numbers."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, path_2d, stroke, threshold_measured, wait_for_session
from PySide6.QtCore import Qt

from neuroview.app.view_presets import window_decimals
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _open(qtbot, window, folder, image, name):
    path = folder / f"{name}.nii.gz"
    save_nifti(image, np.diag([2.0, 2.0, 2.0, 1.0]), path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    lesion = session.segments.add("lesion")
    return session, lesion, window.edit_actions.panel


def _type(qtbot, spin, text):
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key_Return)


def test_a_masking_range_typed_on_a_0_1_image_paints_only_voxels_in_it(qtbot, window, tmp_path):
    image = np.random.default_rng(11).random((24, 24, 12)).astype(np.float32)   # 0-1
    session, lesion, panel = _open(qtbot, window, tmp_path, image, "norm")
    panel.select_tool("paint")
    boxes = panel.option_widgets["paint"]
    for param, text in (("intensity_low", "0.35"), ("intensity_high", "0.62")):
        qtbot.mouseClick(boxes[param].check, Qt.LeftButton)
        _type(qtbot, boxes[param].spin, text)
        assert boxes[param].spin.text() == text.ljust(2 + boxes[param].spin.decimals(), "0")
    params = session.params["paint"]
    assert (params.intensity_low, params.intensity_high) == (0.35, 0.62)
    session.set_params("paint", radius_mm=11.0, mode="2d")
    centre = session.volume.center_ras
    landed = stroke(window, "axial", [centre])
    in_range = (image >= 0.35) & (image <= 0.62)
    wanted = path_2d(session.volume, landed, 11.0) & in_range
    painted = session.labels.array == lesion.value
    assert wanted.sum() > 10 and np.array_equal(painted, wanted), (painted.sum(), wanted.sum())
    assert image[painted].min() >= 0.35 and image[painted].max() <= 0.62
    for tool in ("paint", "fill"):   # as the Window boxes for the same range
        for param in ("intensity_low", "intensity_high"):
            spin = panel.option_widgets[tool][param].spin
            assert spin.decimals() == window_decimals(image.min(), image.max()) >= 3
            assert spin.singleStep() <= 0.01


def test_use_for_masking_shows_the_threshold_range_as_it_is(qtbot, window, tmp_path):
    """Threshold 0.35-0.62, *Use for masking*: Paint's and Fill's boxes read 0.35 and 0.62 (0.4
    and 0.6 before), and editing one of them (0.62 -> 0.63) keeps the other's 0.35."""
    image = np.random.default_rng(12).random((24, 24, 12)).astype(np.float32)
    session, _lesion, panel = _open(qtbot, window, tmp_path, image, "norm")
    panel.select_tool("threshold")
    threshold_measured(qtbot, window)
    session.set_params("threshold", low=0.35, high=0.62)
    window.editor.params_changed.emit()
    qtbot.mouseClick(panel.threshold.mask_button, Qt.LeftButton)
    for tool in ("paint", "fill"):
        boxes = panel.option_widgets[tool]
        assert float(boxes["intensity_low"].spin.text()) == 0.35
        assert float(boxes["intensity_high"].spin.text()) == 0.62
    panel.select_tool("paint")
    _type(qtbot, panel.option_widgets["paint"]["intensity_high"].spin, "0.63")
    params = session.params["paint"]
    assert (params.intensity_low, params.intensity_high) == (0.35, 0.63)


def test_an_integer_image_keeps_whole_numbers(qtbot, window, tmp_path):
    image = np.random.default_rng(13).integers(-1024, 3072, (24, 24, 12)).astype(np.int16)
    _session, _lesion, panel = _open(qtbot, window, tmp_path, image, "ct")
    for tool in ("paint", "fill"):
        for widget in panel.option_widgets[tool].values():
            if hasattr(widget, "spin"):
                assert widget.spin.decimals() == 0 and widget.spin.singleStep() >= 1
