"""An image and its mask dropped on the window together (``case.nii.gz`` with ``case_mask``,
``case-labels`` or ``case_seg``) open as the image with the mask as its labels, as ITK-SNAP and
Slicer do; the series chooser asked which of the two to open. Two images still get the chooser."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import wait_for_session, write_image, write_two_label_mask
from file_drops import drop_on
from PySide6.QtCore import QMimeData, QUrl

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _drop(window, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    drop_on(window, mime)


@pytest.mark.parametrize("name", ["case_mask", "case-labels", "case_seg"])
def test_an_image_and_its_mask_dropped_together_open_as_image_and_labels(qtbot, window, tmp_path,
                                                                         name):
    image, volume = write_image(tmp_path, "case")
    mask, labels = write_two_label_mask(tmp_path, volume)
    mask = mask.rename(tmp_path / f"{name}.nii.gz")
    _drop(window, [mask, image])                      # the mask first: the order does not matter
    session = wait_for_session(qtbot, window)
    qtbot.waitUntil(lambda: session.labels.array.any() and not window.runner.busy, timeout=30000)
    assert window.series_dialog is None
    assert session.volume.source_path.endswith("case.nii.gz")
    np.testing.assert_array_equal(session.volume.array, volume.array)
    np.testing.assert_array_equal(session.labels.array, labels)
    assert window.windowTitle() == "neuroview - case"


def test_two_images_dropped_together_still_ask_which(qtbot, window, tmp_path):
    first, _ = write_image(tmp_path, "case_01")
    second, _ = write_image(tmp_path, "case_02")
    _drop(window, [first, second])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    assert window.series_dialog.list.count() == 2
    window.series_dialog.reject()


def test_a_mask_on_another_grid_still_asks_which(qtbot, window, tmp_path):
    image, volume = write_image(tmp_path, "case")
    other, other_volume = write_image(tmp_path, "other", "lps")
    mask, _ = write_two_label_mask(tmp_path, other_volume)
    other.unlink()
    _drop(window, [image, mask])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    window.series_dialog.reject()
