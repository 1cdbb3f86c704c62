"""*View > Other series > Compare series side by side...*: the series on screen (an axial T1) and
another series
of the study (an oblique FLAIR of another grid, one DICOM frame of reference) in two linked panes:
each pane's pixels against the written series' own values (pydicom's truth, not neuroview's
reader) at each pixel's RAS point, at one world point in both; no registration for one frame;
one cursor, slice and zoom, each pane its own window; Esc closes. Another frame of reference (a
NIfTI moved 12 mm) is registered, and its anatomy lands where the T1's is."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import open_image
from followup_drag import drag
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog
from two_series import (
    FLAIR,
    POINT_RAS,
    SeriesSpec,
    away_from_marks,
    compare_beside,
    compare_shown,
    panes,
    values_at_pixels,
    write_series,
    write_study,
)

from neuroview.io import registration
from neuroview.render.slices import window_to_gray
from neuroview.ui.actions_fusion import COMPARE

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture(scope="module")
def study(tmp_path_factory, mni_volume):
    return write_study(tmp_path_factory.mktemp("compare"), mni_volume)


@pytest.fixture
def registrations(monkeypatch):
    """The registrations run (fixed, moving affines), each run for real."""
    runs, real = [], registration.register

    def counted(fixed, fixed_affine, moving, moving_affine, **options):
        runs.append((fixed_affine, moving_affine))
        return real(fixed, fixed_affine, moving, moving_affine, **options)

    monkeypatch.setattr(registration, "register", counted)
    return runs


@pytest.mark.parametrize("plane", ["axial", "coronal"])
def test_each_pane_shows_its_series_at_one_world_point(qtbot, window, study, registrations, plane):
    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    window.controller.set_crosshair(window.controller.voxel_centre(POINT_RAS))
    view = compare_beside(qtbot, window, oblique.folder)
    assert registrations == []                      # one frame of reference: none ran
    assert "no registration" in view.status.text()
    assert view.windowTitle() == "Side by side: AX T1 | OBL FLAIR"
    pair = view.pair
    np.testing.assert_allclose(pair.state.crosshair_ras, window.controller.state.crosshair_ras)
    assert (pair.state.window, pair.state.level) == (window.controller.state.window,
                                                    window.controller.state.level)
    pair.set_plane(plane)
    view.left_wl.boxes.apply(1800.0, 1000.0)
    view.right_wl.boxes.apply(5400.0, 3000.0)       # the FLAIR's values are three times the T1's
    assert (pair.state.window, pair.right_state.window) == (1800.0, 5400.0)
    left, right, geom = panes(pair)
    region = away_from_marks(geom, pair.state.crosshair_ras)
    for shown, written, (width, level) in ((left, axial, (1800.0, 1000.0)),
                                           (right, oblique, (5400.0, 3000.0))):
        values, inside = values_at_pixels(geom, written)
        where = region & inside
        assert where.sum() > 2000
        expected = window_to_gray(values, width, level).astype(int)
        assert np.ptp(expected[where]) > 200           # the grey scale, not black or white
        assert np.abs(shown[where] - expected[where, None]).max() <= 2
    # one world point, a FLAIR voxel's centre in the slice shown, off the crosshair's lines: at one
    # pixel in both panes, each showing its own series' value there
    ijk = np.rint(np.linalg.inv(oblique.ijk_to_ras) @ np.append(POINT_RAS, 1.0))[:3].astype(int)
    centre = (oblique.ijk_to_ras @ np.append(ijk, 1.0))[:3]
    pair.set_crosshair(centre + 20.0 * geom.col_ras / np.linalg.norm(geom.col_ras)
                       + 20.0 * geom.row_ras / np.linalg.norm(geom.row_ras))
    left, right, geom = panes(pair)
    x, y = np.floor(geom.ras_to_pixel(centre)).astype(int)
    flair = oblique.values[tuple(ijk)]
    t1 = values_at_pixels(geom, axial)[0][y, x]     # the T1 there (between its voxels' centres)
    assert abs(right[y, x, 0] - window_to_gray(np.array([flair]), 5400.0, 3000.0)[0]) <= 12
    assert abs(left[y, x, 0] - window_to_gray(np.array([t1]), 1800.0, 1000.0)[0]) <= 3


def test_one_cursor_slice_and_zoom_each_pane_its_window_esc_closes(qtbot, window, study,
                                                                  registrations, monkeypatch):
    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    # from the View menu, a file of the series picked (it stands for its folder's series)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(oblique.files[0]), ""))
    window.fusion.compare_action.trigger()
    view = compare_shown(qtbot, window)
    assert view.pair.right.description == "OBL FLAIR"
    pair = view.pair
    w, h = pair.pane_size()
    spot = QPoint(w + w // 2 + 31, h // 2 - 17)     # in the right pane
    under = pair.voxel_ras(spot.x(), spot.y())
    qtbot.mouseClick(pair, Qt.LeftButton, pos=spot)
    np.testing.assert_allclose(pair.state.crosshair_ras, under)   # both panes' crosshair
    depth = pair.state.slice_position_mm("axial")
    before = panes(pair)[:2]
    qtbot.keyClick(pair, Qt.Key_Up)                                # both panes one slice up
    assert pair.state.slice_position_mm("axial") == pytest.approx(depth + 4.0)
    after = panes(pair)[:2]
    assert all(np.abs(a - b).max() > 50 for a, b in zip(after, before))
    scale = pair.pane_geometry().mm_per_pixel
    qtbot.keyClick(pair, Qt.Key_R)
    drag(qtbot, pair, Qt.RightButton, QPoint(w // 2, h // 2), QPoint(w // 2, h // 2 - 60))
    assert pair.pane_geometry().mm_per_pixel != pytest.approx(scale)   # one zoom for both
    # Window/level (F2): a drag in the right pane changes the right pane's window alone
    left_window = (pair.state.window, pair.state.level)
    right_window = (pair.right_state.window, pair.right_state.level)
    view.left_wl.button.setChecked(True)
    pair.repaint()
    samplings = pair.samplings
    drag(qtbot, pair, Qt.LeftButton, spot, spot + QPoint(80, 30))
    pair.repaint()
    assert pair.samplings == samplings   # the values kept re-mapped, neither series sampled again
    assert (pair.state.window, pair.state.level) == left_window
    assert pair.right_state.window > right_window[0] and pair.right_state.level > right_window[1]
    assert view.right_wl.window_box.value() == pytest.approx(pair.right_state.window, abs=0.1)
    assert registrations == []
    qtbot.keyClick(pair, Qt.Key_Escape)
    qtbot.waitUntil(lambda: window.compare_window is None, timeout=5000)


def test_another_frame_of_reference_is_registered_onto_the_image(qtbot, window, study,
                                                                 registrations, tmp_path):
    """A NIfTI of the FLAIR saved 12 mm off (no DICOM frame of reference): registered rigidly, its
    voxels then lie where the FLAIR's lie in the T1's space (within 1.5 mm)."""
    axial, oblique, _other = study
    moved = oblique.ijk_to_ras.copy()
    moved[:3, 3] += (12.0, -7.0, 5.0)
    path = tmp_path / "flair_moved.nii.gz"
    nib.save(nib.Nifti1Image(oblique.values.astype(np.float32), moved), path)
    open_image(qtbot, window, axial.folder)
    view = compare_beside(qtbot, window, path)
    assert len(registrations) == 1
    text = view.status.text()   # what it did, no warning (session 44)
    assert text.startswith("flair_moved.nii.gz names no DICOM frame of reference: registered "
                           "rigidly onto the image on screen (moved 15 mm, turned 0 degrees, head "
                           "outlines overlap ")
    assert int(text.split("overlap ")[1].split(" %")[0]) >= 95 and view.status.styleSheet() == ""
    assert view.registered.isVisible() and view.registered.isChecked()
    corners = np.array([[0, 0, 0, 1], [35, 0, 33, 1], [0, 39, 33, 1], [35, 39, 0, 1]], float).T
    laid = (view.pair.right.ijk_to_ras @ corners)[:3]
    assert np.abs(laid - (oblique.ijk_to_ras @ corners)[:3]).max() < 1.5


def test_a_series_of_another_patient_is_refused_in_one_line(qtbot, window, study, registrations,
                                                            tmp_path, mni_volume):
    axial, _oblique, _other = study
    stranger = write_series(tmp_path / "stranger", mni_volume, SeriesSpec(
        **FLAIR, extra=(("PatientID", "NV-TEST-0002"),)))
    open_image(qtbot, window, axial.folder)
    window.fusion.overlay_path(stranger.folder, purpose=COMPARE)
    qtbot.waitUntil(lambda: "another patient" in window.message_bar.text, timeout=30000)
    text = window.message_bar.text
    assert text.startswith("Compare series: OBL FLAIR is of another patient") and "\n" not in text
    assert "NV-TEST" not in text                       # the IDs are not shown
    assert getattr(window, "compare_window", None) is None and registrations == []


def test_the_pair_closes_when_the_main_window_opens_another_image(qtbot, window, study,
                                                                  registrations, tmp_path,
                                                                  mni_volume):
    """Another patient's series opened in the main window closes the side-by-side window, and the
    status line says why: the previous patient's pair stayed beside the new image until session
    43. File > Close closes it too (the status line says the image closed)."""
    axial, oblique, _other = study
    stranger = write_series(tmp_path / "stranger", mni_volume, SeriesSpec(
        **FLAIR, extra=(("PatientID", "NV-TEST-0002"),)))
    open_image(qtbot, window, axial.folder)
    view = compare_beside(qtbot, window, oblique.folder)
    closed = []
    view.destroyed.connect(lambda: closed.append(True))
    open_image(qtbot, window, stranger.folder)
    qtbot.waitUntil(lambda: closed == [True], timeout=10000)
    assert getattr(window, "compare_window", None) is None
    assert window.statusBar().currentMessage().startswith(
        "Compare series closed: another image opened in the main window")
    open_image(qtbot, window, axial.folder)
    view = compare_beside(qtbot, window, oblique.folder)
    qtbot.wait(100)
    assert window.compare_window is view and view.isVisible()   # its own image: it stays
    window.close_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "compare_window", None) is None, timeout=10000)
    assert window.statusBar().currentMessage().startswith("Image closed")
