"""*View > Invert grey scale* (I) in the main window turns the grey scale over in both panes of
*Compare series side by side* too, and I again turns it back: each pane's pixels inside its
series go to 255 minus themselves. Until session 44 the panes stayed upright, the main window's
views inverted beside them."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import open_image, shortcut
from PySide6.QtCore import Qt
from two_series import away_from_marks, compare_beside, panes, values_at_pixels, write_study

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture(scope="module")
def study(tmp_path_factory, mni_volume):
    return write_study(tmp_path_factory.mktemp("compare_invert"), mni_volume)


def test_i_in_the_main_window_inverts_both_panes_and_back(qtbot, window, study):
    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    pair = compare_beside(qtbot, window, oblique.folder).pair
    left, right, geom = panes(pair)
    region = away_from_marks(geom, pair.state.crosshair_ras)
    inside = {"left": region & values_at_pixels(geom, axial)[1],
              "right": region & values_at_pixels(geom, oblique)[1]}
    assert all(part.sum() > 2000 for part in inside.values())
    window.activateWindow()
    shortcut(qtbot, window, Qt.Key_I)
    assert window.invert.action.isChecked()
    turned_left, turned_right, _ = panes(pair)
    for name, before, after in (("left", left, turned_left), ("right", right, turned_right)):
        grey = before[inside[name]]
        assert len(np.unique(grey[:, 0])) > 20   # an image, not one grey
        assert np.array_equal(after[inside[name]], 255 - grey), name
    shortcut(qtbot, window, Qt.Key_I)
    back_left, back_right, _ = panes(pair)
    assert np.array_equal(back_left, left) and np.array_equal(back_right, right)
