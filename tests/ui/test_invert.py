"""*View > Invert grey scale* (I): the slice views draw each grey level as 255 minus itself, the
crosshair and letters as they were; I again brings the picture back, and another image opens
upright (the menu unchecked)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, shortcut, write_image
from PySide6.QtCore import Qt
from viewer_pixels import grab

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

SPOTS = ((0.3, 0.35), (0.62, 0.3), (0.4, 0.7), (0.7, 0.66))
"""Places in the view (fractions of its width and height) inside the image, off the crosshair."""


def _spots(window, plane="axial"):
    view = window.slice_views[plane]
    window.repaint()
    rgb = grab(view)
    h, w = rgb.shape[:2]
    return np.array([rgb[int(y * h), int(x * w)] for x, y in SPOTS], int)


def test_i_inverts_the_grey_scale_and_back(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    window.resize(1000, 760)
    upright = _spots(window)
    assert np.all(upright[:, 0] == upright[:, 1]) and len(set(upright[:, 0])) > 2   # greys, several
    shortcut(qtbot, window, Qt.Key_I)
    assert window.invert.action.isChecked()
    np.testing.assert_array_equal(_spots(window), 255 - upright)
    shortcut(qtbot, window, Qt.Key_I)
    np.testing.assert_array_equal(_spots(window), upright)


def test_another_image_opens_upright(qtbot, window, tmp_path):
    first, _ = write_image(tmp_path, "first")
    second, _ = write_image(tmp_path, "second", affine_name="oblique")
    open_image(qtbot, window, first)
    shortcut(qtbot, window, Qt.Key_I)
    assert window.controller.state.inverted
    open_image(qtbot, window, second)
    qtbot.waitUntil(lambda: "second" in window.windowTitle(), timeout=30000)
    assert not window.controller.state.inverted and not window.invert.action.isChecked()
