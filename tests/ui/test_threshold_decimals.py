"""Threshold's Minimum and Maximum boxes on a float image (a normalised MRI, 0-1): they had
whole numbers or too few decimals for the image's range, so a range between two values could not
be typed. Now they show the decimals the Window boxes use for the same range (``window_decimals``);
an integer image keeps whole numbers."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, threshold_measured, wait_for_session
from PySide6.QtCore import Qt

from neuroview.app.view_presets import window_decimals
from neuroview.core.edit.threshold import default_range
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _image(folder, array, name):
    path = folder / f"{name}.nii.gz"
    save_nifti(array, np.diag([2.0, 2.0, 2.0, 1.0]), path)
    return path


def _type(qtbot, spin, text):
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key_Return)


def _threshold_page(qtbot, window, path):
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    lesion = session.segments.add("lesion")
    panel = window.edit_actions.panel
    panel.select_tool("threshold")
    threshold_measured(qtbot, window)
    return session, lesion, panel, panel.option_widgets["threshold"]


def test_a_range_between_two_values_of_a_0_1_image_is_typed_and_applied(qtbot, window, tmp_path):
    image = np.random.default_rng(7).random((24, 24, 12)).astype(np.float32)   # 0-1
    session, lesion, panel, spins = _threshold_page(qtbot, window, _image(tmp_path, image, "norm"))
    _type(qtbot, spins["low"], "0.35")
    _type(qtbot, spins["high"], "0.62")
    params = session.params["threshold"]
    assert (params.low, params.high) == (0.35, 0.62)
    assert float(spins["low"].text()) == 0.35 and float(spins["high"].text()) == 0.62
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    wanted = (image >= 0.35) & (image <= 0.62)
    written = session.labels.array == lesion.value
    assert 0.2 < wanted.mean() < 0.35 and np.array_equal(written, wanted)
    assert image[written].min() >= 0.35 and image[written].max() <= 0.62
    for spin in spins.values():   # as the Window boxes for the same range
        assert spin.decimals() == window_decimals(image.min(), image.max()) >= 3
        assert spin.singleStep() <= 0.01


def test_a_pet_in_suv_takes_a_tenth_and_a_hundredth(qtbot, window, tmp_path):
    """SUV 0-12: one decimal was all the boxes took, an SUV of 2.55 (a common cut) could not be set."""
    image = (np.random.default_rng(8).random((24, 24, 12)) * 12).astype(np.float32)
    session, lesion, panel, spins = _threshold_page(qtbot, window, _image(tmp_path, image, "pet"))
    _type(qtbot, spins["low"], "2.55")
    _type(qtbot, spins["high"], "12")
    assert session.params["threshold"].low == 2.55
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    assert np.array_equal(session.labels.array == lesion.value, image >= 2.55)


def test_an_integer_image_keeps_whole_numbers(qtbot, window, tmp_path):
    """A small-range integer image (0-8) kept whole numbers; so does CT in HU."""
    for name, low, high in (("small", 0, 8), ("ct", -1024, 3071)):
        image = np.random.default_rng(9).integers(low, high + 1, (24, 24, 12)).astype(np.int16)
        _session, _lesion, _panel, spins = _threshold_page(qtbot, window, _image(tmp_path, image, name))
        for spin in spins.values():
            assert spin.decimals() == 0 and spin.singleStep() >= 1, (name, spin.decimals())


def test_the_starting_minimum_is_the_number_its_box_shows(qtbot, window, tmp_path):
    """The starting Minimum (Otsu's threshold) on a CT in HU is not a whole number (-994.746 on
    air of -1005 to -995 and a body of 35 to 45), while its box shows whole numbers (-995): Apply
    then left out the air voxels of -995 that the box said were in the range, and its line said
    `Threshold -994.746 to 45`. The range starts at the number the box shows, rounded up to its
    decimals (what Otsu's split keeps)."""
    rng = np.random.default_rng(7)
    image = np.where(np.arange(24)[:, None, None] < 12, -1000, 40) + rng.integers(-5, 6, (24, 24, 12))
    image = image.astype(np.int16)
    session, lesion, panel, spins = _threshold_page(qtbot, window, _image(tmp_path, image, "ct"))
    params = session.params["threshold"]
    shown = float(spins["low"].text())
    assert params.low == shown == np.ceil(default_range(image)[0]) == -994
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    np.testing.assert_array_equal(session.labels.array == lesion.value, image >= shown)
    assert window.statusBar().currentMessage().startswith(f"Threshold {shown:g} to 45")
