"""*Compare series side by side...* has the main window's thick slab and zoom keys: M draws a 10 mm
MIP in both panes (the axial T1's pixels: the largest of its three slices within 5 mm, from the
values pydicom wrote, at each pixel's RAS point; the oblique FLAIR's computed off the GUI thread,
its thin slice shown until then), the *Slab* box sets another, M again the thin slices; + and -
zoom both panes a quarter, as in the main window's views. Until session 44 the window had no
slab, and + and - did nothing."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from editor_helpers import grab, open_image
from key_presses import type_key
from PySide6.QtCore import Qt
from two_series import POINT_RAS, away_from_marks, compare_beside, values_at_pixels, write_study

from neuroview.app.view_slab import Slab
from neuroview.render.slices import render_slice, window_to_gray


@pytest.fixture(scope="module")
def study(tmp_path_factory, mni_volume):
    return write_study(tmp_path_factory.mktemp("compare_slab"), mni_volume)


def test_m_draws_a_mip_in_both_panes_and_plus_minus_zoom_them(qtbot, window, study):
    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    window.controller.set_crosshair(window.controller.voxel_centre(POINT_RAS))
    view = compare_beside(qtbot, window, oblique.folder)
    pair = view.pair
    view.left_wl.boxes.apply(1800.0, 1000.0)
    type_key(pair, Qt.Key_M)
    assert view.slab_row.thickness_box.value() == 10.0
    assert pair.state.slice_label("axial").endswith("MIP 10 mm")
    qtbot.waitUntil(lambda: pair.repaint() or pair.thin == (False, False), timeout=20000)
    shown, (w, h) = grab(pair).astype(int), pair.pane_size()
    left, right = shown[:h, :w], shown[:h, w: 2 * w]
    geom = pair.state.geometry("axial", w, h)
    # the T1's slices within 5 mm of the crosshair's (4 mm apart: it and one each side), the
    # largest of the three voxels, then sampled in the plane as a thin slice
    k = int(np.rint(np.linalg.inv(axial.ijk_to_ras) @ np.append(pair.state.crosshair_ras, 1))[2])
    values = axial.values.astype(np.float64)
    mip = values.copy()
    mip[:, :, k] = values[:, :, k - 1: k + 2].max(axis=2)
    expected, inside = values_at_pixels(geom, SimpleNamespace(values=mip,
                                                              ijk_to_ras=axial.ijk_to_ras))
    thin, _ = values_at_pixels(geom, axial)
    where = away_from_marks(geom, pair.state.crosshair_ras) & inside
    assert where.sum() > 2000
    gray = window_to_gray(expected, 1800.0, 1000.0).astype(int)
    assert np.abs(left[where] - gray[where, None]).max() <= 2
    assert np.mean(expected[where] > thin[where] + 50) > 0.2        # not the thin slice
    # the FLAIR's oblique slab: its own MIP, not its thin slice
    state = pair.right_state
    for slab, share in ((Slab(10.0, "max"), 0.9), (None, 0.5)):
        drawn = render_slice(pair.right, geom, state.window, state.level, slab=slab).rgb
        same = np.all(right == drawn, axis=-1)[where].mean()
        assert same > share if slab else same < share
    view.slab_row.set_slab(6.0, "mean")                  # the Slab box, as a user sets it
    assert pair.state.slabs["coronal"] == Slab(6.0, "mean")
    type_key(pair, Qt.Key_M)                             # M again: the thin slices
    assert not pair.state.slabs["axial"].on and view.slab_row.thickness_box.text() == "Off"
    scale = pair.pane_geometry().mm_per_pixel
    type_key(pair, Qt.Key_Plus)
    assert pair.pane_geometry().mm_per_pixel == pytest.approx(scale / 1.25)
    type_key(pair, Qt.Key_Minus)
    type_key(pair, Qt.Key_Minus)
    assert pair.pane_geometry().mm_per_pixel == pytest.approx(scale * 1.25)
