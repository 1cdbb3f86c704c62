"""*Compare series side by side...* says in red, in one line, when the rigid registration of the
other series failed or looks wrong, and the *Registered* box shows the series where its file's
header places it instead (its pixels: the NIfTI's values, read back by nibabel, at each pixel's RAS
point). Until session 44 a failed registration opened nothing (one error line) and a wrong one
was shown as right."""

from __future__ import annotations

from types import SimpleNamespace

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import open_image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from two_series import away_from_marks, compare_beside, panes, values_at_pixels, write_study

from neuroview.app.view_presets import shown_value
from neuroview.io import registration
from neuroview.render.slices import window_to_gray
from neuroview.ui.compare_window import WARNING_STYLE

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture(scope="module")
def study(tmp_path_factory, mni_volume):
    return write_study(tmp_path_factory.mktemp("compare_registration"), mni_volume)


def test_a_registration_that_turned_the_series_is_said_and_can_be_left_out(
        qtbot, window, study, tmp_path, monkeypatch):
    """The registration's answer put 90 degrees off (as one that found another fit): the window
    says so in red; unticking *Registered* shows the FLAIR NIfTI as its header lies."""
    axial, oblique, _other = study
    path = tmp_path / "flair.nii.gz"
    nib.save(nib.Nifti1Image(oblique.values.astype(np.float32), oblique.ijk_to_ras), path)
    open_image(qtbot, window, axial.folder)
    centre = window.controller.volume.center_ras
    turn = np.eye(4)
    turn[:2, :2] = [[0.0, -1.0], [1.0, 0.0]]                 # 90 degrees about S, at the centre
    turn[:3, 3] = centre - turn[:3, :3] @ centre
    monkeypatch.setattr(registration, "register", lambda *_a, **_k: registration.Registration(
        turn, "rigid", -0.2, 40))
    view = compare_beside(qtbot, window, path)
    # the main window's status line said "registering" for 15 s after it was done (session 52)
    assert window.statusBar().currentMessage() == "Compare series: flair.nii.gz shown beside the image"
    text = view.status.text()
    assert text == ("flair.nii.gz: the registration looks wrong (it turned the series 90 degrees): "
                    "check the anatomy, or untick Registered to see the series as its file lies")
    assert view.status.styleSheet() == WARNING_STYLE
    assert view.registered.isVisible() and view.registered.isChecked()
    pair = view.pair
    pair.set_plane("coronal")
    view.right_wl.boxes.apply(5400.0, 3000.0)
    _, turned, geom = panes(pair)
    # the pointer on a FLAIR voxel's centre in the right pane: the readout reads the turned
    # series there, then (unregistered) the NIfTI's own value at that voxel
    ijk = np.array([18, 20, 17])
    point = (oblique.ijk_to_ras @ np.append(ijk, 1.0))[:3]
    x, y = geom.ras_to_pixel(point)
    spot = QPointF(pair.pane_size()[0] + x, y)
    QApplication.sendEvent(pair, QMouseEvent(QEvent.MouseMove, spot, pair.mapToGlobal(spot),
                                             Qt.NoButton, Qt.NoButton, Qt.NoModifier))
    read_turned = view.pointer.text()
    qtbot.mouseClick(view.registered, Qt.LeftButton)          # compare without registration
    assert not view.registered.isChecked()
    assert view.status.text().startswith("flair: not registered, shown where its file's "
                                         "header places it") and view.status.styleSheet() == ""
    _, right, geom = panes(pair)
    image = nib.load(path)
    pointed = pair.pointer_ras(spot.x(), spot.y())
    voxel = tuple(np.rint(np.linalg.inv(image.affine) @ np.append(pointed, 1.0))[:3].astype(int))
    assert voxel == tuple(ijk)
    read = view.pointer.text()
    assert read != read_turned and read.endswith(
        f"flair {shown_value(np.asarray(image.dataobj)[voxel])}")
    written = SimpleNamespace(values=np.asarray(image.dataobj), ijk_to_ras=image.affine)
    values, inside = values_at_pixels(geom, written)
    where = away_from_marks(geom, pair.state.crosshair_ras) & inside
    assert where.sum() > 2000
    expected = window_to_gray(values, 5400.0, 3000.0).astype(int)
    assert np.abs(right[where] - expected[where, None]).max() <= 2
    assert np.abs(turned[where] - expected[where, None]).max() > 100   # it was the turned one
    qtbot.mouseClick(view.registered, Qt.LeftButton)
    assert view.status.text() == text


def test_a_failed_registration_shows_the_series_as_it_lies_and_says_why(qtbot, window, study,
                                                                       tmp_path):
    """A series that cannot be registered (a blank export: SimpleITK stops on its zero mass)
    opens beside the image as its file lies, the red line saying the registration failed."""
    axial, _oblique, _other = study
    path = tmp_path / "blank.nii.gz"
    nib.save(nib.Nifti1Image(np.zeros((12, 10, 8), np.float32), np.diag([3.0, 3.0, 3.0, 1.0])),
             path)
    open_image(qtbot, window, axial.folder)
    view = compare_beside(qtbot, window, path)
    text = view.status.text()
    assert text.startswith("blank.nii.gz names no DICOM frame of reference, and its registration "
                           "failed (") and "\n" not in text
    assert text.endswith("shown where its file's header places it, not registered (its anatomy "
                         "may not lie over the image's)")
    assert view.status.styleSheet() == WARNING_STYLE and not view.registered.isVisible()
    assert view.pair.right.source_path == str(path)
    np.testing.assert_allclose(view.pair.right.ijk_to_ras, nib.load(path).affine)
