"""Thick-slab views in the window: the Display panel's *Slab* row draws a MIP (MinIP, mean) of the
chosen thickness in all slice views or one; the view's title says so; the status bar still reads
the thin slice's voxel, and the labels stay those of the thin slice."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import hover, open_image, pixel_of, stroke, wait_for_session

from neuroview.render.slices import window_to_gray

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

SHAPE = (30, 32, 28)


def write_spotted(folder):
    """Dark noise (0-99) at 1 mm, and a bright 3x3x1 spot (value 900) 3 slices above the middle
    axial slice: the thin axial slice does not show it, a 10 mm MIP does."""
    rng = np.random.default_rng(11)
    data = rng.integers(0, 100, size=SHAPE).astype(np.int16)
    middle = np.array(SHAPE) // 2
    data[middle[0] - 1: middle[0] + 2, middle[1] - 1: middle[1] + 2, middle[2] + 3] = 900
    affine = np.eye(4)
    affine[:3, 3] = -middle
    path = folder / "spotted.nii.gz"
    nib.save(nib.Nifti1Image(data, affine), path)
    return path, data


def test_slab_row_draws_a_mip_titled_and_reads_the_thin_voxel(qtbot, window, tmp_path):
    path, data = write_spotted(tmp_path)
    window.controller.set_interpolate(False)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    state, views = window.controller.state, window.slice_views
    state.set_window_level(1000.0, 500.0)
    view = views["axial"]
    spot_ras = state.crosshair_ras.copy()     # the middle voxel: the spot lies 3 mm above it
    view.repaint()
    thin = view.last.rgb.copy()
    x, y = (int(v) for v in pixel_of(window, "axial", spot_ras + [3.0, 3.0, 0.0]))
    assert thin[y, x, 0] < window_to_gray(np.array([100.0]), 1000.0, 500.0)[0]
    assert view.title() == "Axial"

    row = window.display_panel.slab_row
    row.mode_box.setCurrentIndex(0)            # MIP
    row.thickness_box.setValue(10.0)           # as typed: applied to all slice views
    for plane in ("axial", "sagittal", "coronal"):
        assert views[plane].title() == f"{plane.capitalize()} · MIP 10 mm"
        # the caption drawn in the picture says it too: an exported view is not read as thin
        assert state.slice_label(plane).endswith("mm  MIP 10 mm")
    view.repaint()
    mip = view.last.rgb
    x, y = (int(v) for v in pixel_of(window, "axial", spot_ras))
    assert mip[y, x, 0] == window_to_gray(np.array([900.0]), 1000.0, 500.0)[0]
    k = SHAPE[2] // 2
    expected = data[:, :, k - 5: k + 6].max(axis=2)
    middle = np.array(SHAPE) // 2
    for dx, dy in ((4, -2), (-3, 5), (7, 7)):   # R+ is screen left, A+ is screen up
        px, py = (int(v) for v in pixel_of(window, "axial", spot_ras + [dx, dy, 0.0]))
        value = expected[middle[0] + dx, middle[1] + dy]
        assert mip[py, px, 0] == window_to_gray(np.array([float(value)]), 1000.0, 500.0)[0]

    # the status bar names the thin slice's voxel under the pointer, not the MIP's
    hover(window, "axial", spot_ras)
    assert f"value {data[tuple(middle)]} " in window.readout.text() + " "

    # labels stay on the thin slice: a segment on the spot's slice is not drawn on the MIP
    labels = np.zeros(SHAPE, dtype=np.uint8)
    labels[middle[0] - 1: middle[0] + 2, middle[1] - 1: middle[1] + 2, middle[2] + 3] = 1
    labels[middle[0] + 6, middle[1] + 6, middle[2]] = 1      # on the thin slice
    session.labels.array[...] = labels
    window.controller.labels_changed.emit()
    view.repaint()
    x, y = (int(v) for v in pixel_of(window, "axial", spot_ras))
    assert view.last.labels[y, x] == 0
    x, y = (int(v) for v in pixel_of(window, "axial", spot_ras + [6.0, 6.0, 0.0]))
    assert view.last.labels[y, x] == 1

    # one view: the sagittal view back to thin, the others keep their MIP
    row.view_box.setCurrentIndex(2)
    row.view_box.activated.emit(2)
    row.thickness_box.setValue(0.0)
    assert row.thickness_box.text() == "Off"
    assert views["sagittal"].title() == "Sagittal"
    assert views["axial"].title() == "Axial · MIP 10 mm"


def test_a_stroke_on_a_mip_view_redraws_the_mip_under_it(qtbot, window, tmp_path):
    """An edit redraws only its rectangle of the view: on a MIP view that rectangle is the MIP
    too (a thin slice patch in a MIP picture would show as a dark square)."""
    path, _ = write_spotted(tmp_path)
    window.controller.set_interpolate(False)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.state.set_window_level(1000.0, 500.0)
    window.display_panel.slab_row.set_slab(10.0, "max", plane="axial")
    _stroke_redrawn_as_from_scratch(window, session, window.slice_views["axial"], 2.0)


def _stroke_redrawn_as_from_scratch(window, session, view, radius_mm: float) -> None:
    """A paint stroke near the crosshair redraws its rectangle only, and the picture is the one
    drawn from scratch."""
    centre = window.controller.state.crosshair_ras.copy()
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=radius_mm, mode="2d")
    before = view.partial_updates
    stroke(window, "axial", [centre + [-6.0, 0, 0], centre + [-2.0, 0, 0]])
    assert view.partial_updates > before
    view.repaint()
    shown = view.last.rgb.copy()
    view.invalidate()
    view.repaint()
    np.testing.assert_array_equal(shown, view.last.rgb)


def test_a_stroke_on_an_oblique_mip_view_draws_the_views_slab_under_it(qtbot, window, tmp_path,
                                                                       monkeypatch):
    """On an oblique MIP view an edit's rectangle is drawn from the slab the view computed (it
    computed the rectangle's slab again on the GUI thread, seconds on a thin-slice CT): the
    picture is the one drawn from scratch, and no slab is computed."""
    from oblique_views import open_oblique

    from neuroview.render import slices

    session, _volume = open_oblique(qtbot, window, tmp_path)
    window.display_panel.slab_row.set_slab(10.0, "max", plane="axial")
    view = window.slice_views["axial"]
    qtbot.waitUntil(lambda: (view.repaint(), view.title() == "Axial · MIP 10 mm")[1],
                    timeout=20000)
    computed = []
    real = slices.sample_slab
    monkeypatch.setattr(slices, "sample_slab",
                        lambda *a, **k: (computed.append(1), real(*a, **k))[1])
    _stroke_redrawn_as_from_scratch(window, session, view, 3.0)
    assert computed == [], "the edit or the picture from scratch computed the slab again"


def test_m_key_toggles_a_mip_in_every_slice_view(qtbot, window, tmp_path):
    from key_presses import type_key
    from PySide6.QtCore import QPoint, Qt

    from neuroview.ui.help_menu import shortcut_rows

    path, _ = write_spotted(tmp_path)
    open_image(qtbot, window, path)
    views = window.slice_views
    qtbot.mouseClick(views["axial"], Qt.LeftButton, pos=QPoint(60, 60))   # the keys go there
    type_key(window, Qt.Key_M)
    assert [views[p].title() for p in ("axial", "sagittal", "coronal")] == [
        "Axial · MIP 10 mm", "Sagittal · MIP 10 mm", "Coronal · MIP 10 mm"]
    assert window.display_panel.slab_row.thickness_box.value() == 10.0
    type_key(window, Qt.Key_M)
    assert views["axial"].title() == "Axial" and not window.slab_action.isChecked()
    assert ("View", "Thick slab (MIP)", "M") in [(m.split(" > ")[0], c, k)
                                                 for m, c, k in shortcut_rows(window.menuBar())]


def test_each_views_slab_is_kept_when_another_image_opens(qtbot, window, tmp_path):
    """As Slicer keeps a view's slab across volumes: MIP 10 mm in the axial view and MinIP 4 mm in
    the sagittal one stay when image B replaces A, in the views, their titles and the Slab row."""
    path_a, _ = write_spotted(tmp_path)
    folder_b = tmp_path / "b"
    folder_b.mkdir()
    path_b, data_b = write_spotted(folder_b)
    open_image(qtbot, window, path_a)
    row = window.display_panel.slab_row
    row.set_slab(10.0, "max", "axial")
    row.set_slab(4.0, "min", "sagittal")
    first = window.controller.volume
    window.open_paths([path_b])
    qtbot.waitUntil(lambda: window.controller.volume is not first and not window.runner.busy,
                    timeout=30000)
    views = window.slice_views
    assert [views[p].title() for p in ("axial", "sagittal", "coronal")] == [
        "Axial · MIP 10 mm", "Sagittal · MinIP 4 mm", "Coronal"]
    row.view_box.setCurrentIndex(1)     # the axial view, as a user picks it
    row.sync()
    assert (row.thickness_box.value(), row.mode_box.currentData()) == (10.0, "max")
    window.controller.set_interpolate(False)
    state = window.controller.state
    state.set_window_level(1000.0, 500.0)
    views["axial"].repaint()            # B's pixels: the MIP of B's slab around the middle slice
    x, y = (int(v) for v in pixel_of(window, "axial", state.crosshair_ras + [1.0, 1.0, 0.0]))
    assert data_b[SHAPE[0] // 2 - 1, SHAPE[1] // 2 - 1, SHAPE[2] // 2] < 100   # thin: dark
    assert views["axial"].last.rgb[y, x, 0] == window_to_gray(np.array([900.0]), 1000.0, 500.0)[0]


def test_an_oblique_slab_is_thin_while_moving_and_full_once_still(qtbot, window, tmp_path):
    """An oblique thick slab costs seconds a frame on a thin-slice CT: the view draws the thin
    slice (its title and caption say so) at every change, and the full slab once nothing has
    changed for ``FULL_SLAB_AFTER_MS``, as PACS viewers do."""
    from oblique_views import open_oblique

    from neuroview.ui.slab_job import FULL_SLAB_AFTER_MS

    open_oblique(qtbot, window, tmp_path)
    view, state = window.slice_views["axial"], window.controller.state
    window.display_panel.slab_row.set_slab(10.0, "max", "axial")
    for _ in range(3):                  # wheel steps: each drawn thin at once
        window.controller.scroll("axial", 1)
        view.repaint()
        assert view.title() == "Axial · thin (MIP 10 mm soon)"
        np.testing.assert_array_equal(view.last.rgb, view.render(thin=True).rgb)
        assert not state.slice_label("axial", slab=False).endswith("MIP 10 mm")
    qtbot.waitUntil(lambda: view.title() == "Axial · MIP 10 mm", timeout=FULL_SLAB_AFTER_MS * 20)
    full = view.render().rgb            # the slab with its caption 'MIP 10 mm'
    assert not np.array_equal(full, view.render(thin=True).rgb)
    np.testing.assert_array_equal(view.last.rgb, full)
    window.slice_views["sagittal"].repaint()    # a view with no slab: thin, titled as ever
    assert window.slice_views["sagittal"].title() == "Sagittal"
