"""The slice each view shows when an image opens is one real slice, and the brush and the status
bar use that same slice (found by walking the window: with an even number of slices the views
opened halfway between two of them)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import hover, open_image, pixel_of, stroke, wait_for_session

from neuroview.core.labels import default_color
from neuroview.render.sampling import sample_plane

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

SHAPE = (18, 22, 26)  # even counts: the geometric centre lies between two slices on every axis
SPACING = 2.0


def write_striped(folder):
    """Voxel value 1000 * (i % 2) + 100 * (j % 2) + 10 * (k % 2) + 1: neighbouring slices on every
    axis differ, so a blend of two slices shows values no voxel has."""
    i, j, k = np.indices(SHAPE)
    data = (1000 * (i % 2) + 100 * (j % 2) + 10 * (k % 2) + 1).astype(np.int16)
    affine = np.diag([SPACING, SPACING, SPACING, 1.0])
    affine[:3, 3] = [-17.0, -21.0, -25.0]
    path = folder / "striped.nii.gz"
    nib.save(nib.Nifti1Image(data, affine), path)
    return path, data, affine


def test_views_open_on_a_voxel_slice_and_readout_names_it(qtbot, window, tmp_path):
    path, data, affine = write_striped(tmp_path)
    window.controller.set_interpolate(False)
    open_image(qtbot, window, path)
    state = window.controller.state
    ijk = np.linalg.inv(affine)[:3] @ np.append(state.crosshair_ras, 1.0)
    assert np.allclose(ijk, np.rint(ijk)), f"crosshair between slices at ijk {ijk}"
    for plane in ("axial", "sagittal", "coronal"):
        point = state.crosshair_ras + np.array([3.0, 3.0, 3.0]) * SPACING
        point[{"axial": 2, "sagittal": 0, "coronal": 1}[plane]] = state.crosshair_ras[
            {"axial": 2, "sagittal": 0, "coronal": 1}[plane]]
        hover(window, plane, point)
        text = window.readout.text()
        voxel = tuple(int(v) for v in np.rint(np.linalg.inv(affine)[:3] @ np.append(point, 1.0)))
        assert f"ijk ({voxel[0]}, {voxel[1]}, {voxel[2]})" in text
        # the value the status bar names is the one drawn under the pointer
        view = window.slice_views[plane]
        shown, _ = sample_plane(data, np.linalg.inv(affine),
                                state.geometry(plane, view.width(), view.height()), order=0)
        x, y = pixel_of(window, plane, point)
        assert f"value {shown[int(y), int(x)]} " in text + " "


def test_a_stroke_painted_right_after_opening_shows_in_its_view(qtbot, window, tmp_path):
    path, _, affine = write_striped(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="2d")
    view = window.slice_views["axial"]
    start = window.controller.state.crosshair_ras + np.array([6.0, 6.0, 0.0])
    stroke(window, "axial", [start, start + np.array([6.0, 0.0, 0.0])])
    painted = np.argwhere(session.labels.array > 0)
    assert len(painted) > 0
    view.repaint()
    # the painted slice is the one on screen: its voxels are drawn in the segment's colour
    on_screen = np.all(np.abs(view.last.rgb.astype(int) - default_color(1)) <= 60, axis=2)
    assert (view.last.labels > 0).sum() > 20
    assert on_screen.sum() > 20
    shown_k = np.rint(np.linalg.inv(affine)[2] @ np.append(window.controller.state.crosshair_ras, 1))
    assert set(painted[:, 2]) == {int(shown_k)}


def test_the_title_names_a_series_without_a_description_by_its_file(qtbot, window, tmp_path):
    """pydicom's MR_small.dcm has no SeriesDescription: the title said only "neuroview - "."""
    import shutil

    from pydicom.data import get_testdata_file

    path = tmp_path / "MR_small.dcm"
    shutil.copy(get_testdata_file("MR_small.dcm"), path)
    open_image(qtbot, window, path)
    assert window.windowTitle() == "neuroview - MR_small.dcm"


def test_the_status_bar_names_the_voxel_drawn_under_the_pointer(qtbot, window, tmp_path):
    """A mouse position is the corner of the pixel under the pointer: on the view's centre line,
    a voxel boundary for an even number of voxels, the status bar named the neighbouring voxel
    (another value than the one drawn) on every pixel of that row and column."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    i, j, k = np.indices(SHAPE)
    data = (10000 * i + 100 * j + k).astype(np.int32)   # every voxel its own value
    affine = np.diag([SPACING, SPACING, SPACING, 1.0])
    affine[:3, 3] = [-17.0, -21.0, -25.0]
    nib.save(nib.Nifti1Image(data, affine), tmp_path / "unique.nii.gz")
    window.controller.set_interpolate(False)
    open_image(qtbot, window, tmp_path / "unique.nii.gz")
    state = window.controller.state
    wrong = []
    for plane, view in window.slice_views.items():
        for zoom in (1.0, 3.7):
            state.views[plane].zoom = zoom
            window.controller.changed.emit()
            shown, inside = sample_plane(data, np.linalg.inv(affine),
                                         state.geometry(plane, view.width(), view.height()), order=0)
            cx, cy = view.width() // 2, view.height() // 2
            spots = ([(x, cy) for x in range(0, view.width(), 3)]
                     + [(cx, y) for y in range(0, view.height(), 3)])
            for x, y in spots:
                if not inside[y, x]:
                    continue
                pos = QPointF(x, y)   # a real mouse: whole pixels
                QApplication.sendEvent(view, QMouseEvent(QEvent.MouseMove, pos, view.mapToGlobal(pos),
                                                         Qt.NoButton, Qt.NoButton, Qt.NoModifier))
                if f"value {shown[y, x]} " not in window.readout.text() + " ":
                    wrong.append((plane, zoom, x, y))
    assert not wrong, f"{len(wrong)} pointer positions read another voxel, e.g. {wrong[:3]}"


def test_a_click_puts_the_other_views_on_one_voxel_slice(qtbot, window, tmp_path):
    """Navigate mode: a click anywhere in a voxel puts the crosshair on that voxel's centre, so
    the other two views show that voxel's slice, not a blend of two (with Smooth image on they
    showed, e.g., 30 % of one slice and 70 % of the next), and a stroke there shows in its view."""
    from PySide6.QtCore import QPoint, Qt

    path, data, affine = write_striped(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    state = window.controller.state
    axial = window.slice_views["axial"]
    target = state.crosshair_ras + np.array([3.3, -4.6, 0.0])   # inside a voxel, off its centre
    x, y = pixel_of(window, "axial", target)
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(int(x), int(y)))
    ijk = np.linalg.inv(affine)[:3] @ np.append(state.crosshair_ras, 1.0)
    assert np.allclose(ijk, np.rint(ijk))
    assert np.allclose(state.crosshair_ras, target, atol=SPACING / 2 + 0.5)
    coronal = window.slice_views["coronal"]
    coronal.repaint()
    # the coronal picture is one voxel slice: the same as drawn from a volume in which every
    # slice is that one (a blend with the next slice, whose stripes differ, would not be)
    geom = state.geometry("coronal", coronal.width(), coronal.height())
    j = int(round(ijk[1]))
    one_slice = np.repeat(data[:, j:j + 1, :], data.shape[1], axis=1)
    drawn = sample_plane(data, np.linalg.inv(affine), geom, order=1)[0]
    assert np.array_equal(drawn, sample_plane(one_slice, np.linalg.inv(affine), geom, order=1)[0])
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="2d")
    start = state.crosshair_ras + np.array([4.0, 0.0, 4.0])
    stroke(window, "coronal", [start, start + np.array([6.0, 0.0, 0.0])])
    coronal.repaint()
    assert (session.labels.array > 0).any() and (coronal.last.labels > 0).sum() > 20
