"""AI > Show uncertainty: a heat overlay on the slice views, checked on screen pixels."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES, make_case
from viewer_pixels import expected_pixel, grab

from neuroview.ai.package import read_card
from neuroview.app.uncertainty import UncertaintyMap
from neuroview.io.nifti import save_nifti
from neuroview.paths import resources_dir

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

BLOCK = (slice(30, 36), slice(12, 18), slice(26, 32))
"""Voxels of high uncertainty (6 x 6 x 6 voxels = 12 mm cube at 2 mm)."""


def open_case(qtbot, window, tmp_path, affine_name, shape=(48, 48, 48)):
    volume, _ = make_case(AFFINES[affine_name], shape=shape)
    path = tmp_path / f"{affine_name}.nii.gz"
    save_nifti(volume.array, volume.ijk_to_ras, path)
    window.open_paths([path])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    return window.controller.volume


def block_corners_ras(affine):
    """RAS corners of the block's outer voxel faces."""
    lo = np.array([s.start for s in BLOCK]) - 0.5
    hi = np.array([s.stop for s in BLOCK]) - 0.5
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                        for z in (lo[2], hi[2])])
    return corners @ affine[:3, :3].T + affine[:3, 3]


@pytest.mark.parametrize("affine_name", ["ras", "oblique"])
def test_block_of_high_uncertainty_is_tinted_in_place(qtbot, window, tmp_path, affine_name):
    volume = open_case(qtbot, window, tmp_path, affine_name)
    affine = volume.ijk_to_ras
    # the voxel at the block's centre (wheel steps land on voxels: scrolling away and back from
    # it comes back to the same plane)
    centre_ijk = np.array([(s.start + s.stop - 1) // 2 for s in BLOCK], dtype=float)
    centre_ras = affine[:3, :3] @ centre_ijk + affine[:3, 3]
    window.controller.set_crosshair(centre_ras)
    plain = {plane: grab(widget) for plane, widget in window.slice_views.items()}
    values = np.zeros(volume.shape, np.float32)
    values[BLOCK] = 1.0
    actions = window.ai_actions.uncertainty
    actions.set_map(UncertaintyMap(values, affine.copy(), model="synthetic"))
    assert actions.show_action.isChecked()
    corners = block_corners_ras(affine)
    for plane, widget in window.slice_views.items():
        shown = grab(widget)
        x, y = expected_pixel(window, plane, centre_ras)
        px = shown[int(y), int(x)].astype(int)
        assert px[0] >= 200 and px[0] - px[1] > 120 and px[0] - px[2] > 120, (plane, px)  # red
        changed = np.any(shown != plain[plane], axis=2)
        ys, xs = np.nonzero(changed)
        # Every tinted pixel lies within the block's outline on screen (the block's corners
        # projected by hand; 1.5 px for the pixel grid), and the outline is mostly filled.
        cx, cy = np.array([expected_pixel(window, plane, c) for c in corners]).T
        assert xs.min() >= cx.min() - 1.5 and xs.max() <= cx.max() + 1.5, plane
        assert ys.min() >= cy.min() - 1.5 and ys.max() <= cy.max() + 1.5, plane
        if affine_name == "ras":  # axis-aligned: the cut through the cube is a square
            area = (cx.max() - cx.min()) * (cy.max() - cy.min())
            assert changed.sum() > 0.8 * area, (plane, changed.sum(), area)
    assert "uncertainty 1.000 bits" in window.controller.readout(centre_ras)

    # Scrolling the axial view 10 slices (20 mm) away leaves the 12 mm block behind.
    window.controller.scroll("axial", 10)
    away = grab(window.slice_views["axial"])
    actions.show_action.trigger()  # off
    assert not actions.show_action.isChecked()
    assert np.array_equal(grab(window.slice_views["axial"]), away)
    window.controller.scroll("axial", -10)
    for plane, widget in window.slice_views.items():
        assert np.array_equal(grab(widget), plain[plane]), plane
    actions.show_action.trigger()  # on again: the same map, not recomputed
    assert actions.show_action.isChecked() and actions.job is None
    assert not np.array_equal(grab(window.slice_views["axial"]), plain["axial"])


def test_heat_is_drawn_under_the_labels(qtbot, window, tmp_path):
    """A label painted on the block shows in its own colour at full opacity over the heat."""
    from neuroview.core.labels import LabelMap

    volume = open_case(qtbot, window, tmp_path, "ras")
    centre_ijk = np.array([(s.start + s.stop - 1) / 2 for s in BLOCK])
    centre_ras = volume.ijk_to_ras[:3, :3] @ centre_ijk + volume.ijk_to_ras[:3, 3]
    window.controller.set_crosshair(centre_ras)
    values = np.zeros(volume.shape, np.float32)
    values[BLOCK] = 1.0
    window.ai_actions.uncertainty.set_map(UncertaintyMap(values, volume.ijk_to_ras.copy()))
    labels = np.zeros(volume.shape, np.uint8)
    labels[BLOCK] = 1
    label_map = LabelMap.from_array(labels, volume.ijk_to_ras, names={1: "lesion"})
    label_map.segments.get(1).color = (0, 0, 255)
    window.controller.state.labels.opacity = 1.0
    window.controller.set_labels(label_map)
    x, y = expected_pixel(window, "axial", centre_ras)
    assert tuple(grab(window.slice_views["axial"])[int(y), int(x)]) == (0, 0, 255)


def bundled_ref() -> str:
    return read_card(resources_dir() / "models" / "lesionseg").ref


def test_real_model_computes_the_overlay_in_the_background(qtbot, window, tmp_path):
    pytest.importorskip("torch")
    from neuroview.ai import flip_probabilities

    volume = open_case(qtbot, window, tmp_path, "ras", shape=(24, 24, 24))
    actions = window.ai_actions.uncertainty
    job = actions.compute("lesionseg", "cpu")
    assert job is not None and window.progress.isVisible() and window.cancel_button.isVisible()
    qtbot.waitUntil(lambda: window.controller.state.heat is not None, timeout=120000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    heat = window.controller.state.heat
    assert actions.show_action.isChecked() and heat.model == bundled_ref()
    assert bundled_ref() in window.notice_bar.text
    # The map is the entropy of the mean flip probability, computed here by hand.
    p = flip_probabilities(volume, "lesionseg", ((), (0,), (1,), (2,)), "cpu").astype(np.float64)
    mean = np.clip(p.mean(0), 1e-7, 1 - 1e-7)
    expected = -(mean * np.log2(mean) + (1 - mean) * np.log2(1 - mean))
    np.testing.assert_allclose(heat.array, expected, atol=1e-4)
    # Pixels are tinted exactly where the map reaches the threshold, set to show the top half of
    # what this axial slice samples.
    from neuroview.render.sampling import sample_plane

    axial = window.slice_views["axial"]
    geom = window.controller.state.geometry("axial", axial.width(), axial.height())
    # an axis-aligned view samples the heat map by nearest voxel (render/heat.py)
    sampled, inside = sample_plane(heat.array, np.linalg.inv(heat.ijk_to_ras), geom, order=0)
    actions.show(False)
    plain = grab(axial)
    heat.threshold = 0.5 * float(sampled[inside].max())
    actions.show(True)
    shown = grab(axial)
    hot = inside & (sampled >= heat.threshold)
    changed = np.any(shown != plain, axis=2)
    # the view's own marks (its corner labels, the cross-hair: coloured, drawn over the image and
    # the map) hide what lies under them: compare where the plain view shows the grey image
    grey = (plain[..., 0] == plain[..., 1]) & (plain[..., 1] == plain[..., 2])
    assert (hot & grey).sum() > 0
    assert not (changed & ~hot).any()
    assert np.array_equal(changed & grey, hot & grey)


def test_show_asks_for_a_model_and_cancel_leaves_no_overlay(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path, "ras", shape=(24, 24, 24))
    actions = window.ai_actions.uncertainty
    axial = window.slice_views["axial"]
    plain = grab(axial)
    actions.show_action.trigger()  # no map yet: the model dialog opens, default model chosen
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=10000)
    assert not actions.show_action.isChecked()
    assert actions.dialog.choice()[0] == bundled_ref()
    actions.dialog.accept()
    assert actions.job is not None and window.runner.busy
    window.cancel_button.click()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    assert "cancelled" in window.notice_bar.text
    assert window.controller.state.heat is None and not actions.show_action.isChecked()
    window.notice_bar.hide()  # the views get their height back
    qtbot.waitUntil(lambda: axial.height() == plain.shape[0], timeout=5000)
    assert np.array_equal(grab(axial), plain)


def test_the_notice_follows_hiding_and_showing_the_map(qtbot, window, tmp_path, monkeypatch):
    """Ctrl+Shift+U hides the map: the notice bar no longer says 'Showing the uncertainty' over
    the plain image (it did until dismissed), and says so again when the map comes back."""
    from editor_helpers import shortcut
    from PySide6.QtCore import Qt

    from neuroview.app import uncertainty

    volume = open_case(qtbot, window, tmp_path, "ras", shape=(24, 24, 24))
    heat = np.zeros(volume.shape, np.float32)
    heat[8:14, 8:14, 8:14] = 0.9
    monkeypatch.setattr(uncertainty, "compute_uncertainty", lambda *a, **k: UncertaintyMap(
        heat, volume.ijk_to_ras, model="lesionseg@9.9.9", flips=[(), (0,)]))
    actions = window.ai_actions.uncertainty
    actions.compute("lesionseg", "cpu")
    qtbot.waitUntil(lambda: window.controller.state.heat is not None and not window.runner.busy,
                    timeout=10000)
    bar = window.notice_bar
    assert bar.text.startswith("Showing the uncertainty of lesionseg@9.9.9 over 2 flips")
    shown = bar.text
    shortcut(qtbot, window, Qt.Key_U, Qt.ControlModifier | Qt.ShiftModifier)
    assert not window.controller.state.heat.visible
    assert bar.text.startswith("Uncertainty map hidden") and "Ctrl+Shift+U" in bar.text
    shortcut(qtbot, window, Qt.Key_U, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.controller.state.heat.visible and bar.text == shown
