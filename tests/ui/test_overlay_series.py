"""*View > Other series > Overlay series...*: a second series of the study (an oblique FLAIR of
another grid over
an axial T1, one DICOM frame of reference) drawn in colour where its voxels lie in the patient, in
every slice view: the pixels on screen against the written series' own values and grid (pydicom's
truth, not neuroview's reader) at each pixel's RAS point; opacity 0 and 1; O / Shift+O / Alt+O;
another frame of reference refused in one line; another image drops it."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import grab, open_image, shortcut
from PySide6.QtCore import Qt
from two_series import POINT_RAS, away_from_marks, values_at_pixels, write_study

from neuroview.render.fusion import hot_colors


@pytest.fixture(scope="module")
def study(tmp_path_factory, mni_volume):
    return write_study(tmp_path_factory.mktemp("overlay"), mni_volume)


def _overlay(qtbot, window, folder):
    window.fusion.overlay_path(folder)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def _view(window, plane):
    view = window.slice_views[plane]
    window.controller.changed.emit()
    view.repaint()
    return view, window.controller.state.geometry(plane, view.width(), view.height())


@pytest.mark.parametrize("plane", ["axial", "coronal"])
def test_the_overlay_shows_its_own_values_where_they_lie(qtbot, window, study, plane):
    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    window.controller.set_crosshair(window.controller.voxel_centre(POINT_RAS))
    view, geom = _view(window, plane)
    before = grab(view)
    _overlay(qtbot, window, oblique.folder)
    layer = window.controller.state.fusion
    assert layer is not None and layer.volume.description == "OBL FLAIR"
    assert window.fusion.show_action.isChecked()
    assert window.display_panel.fusion_row.isVisibleTo(window.display_panel)

    layer.set_opacity(1.0)
    layer.window, layer.level = 600.0, 300.0
    view, geom = _view(window, plane)
    shown = grab(view).astype(int)
    values, inside = values_at_pixels(geom, oblique)
    region = away_from_marks(geom, window.controller.state.crosshair_ras) & inside
    assert region.sum() > 2000
    expected = hot_colors(values, 600.0, 300.0)
    assert np.abs(shown[region] - (expected[region] + 0.5).astype(int)).max() <= 2
    # not the T1 there, nor the FLAIR's grey values: the FLAIR's, coloured
    assert np.abs(shown[region] - before[region]).max() > 100
    # the pixel at a known world point (a FLAIR voxel's centre; the crosshair hidden, X) shows
    # that voxel's value; the status bar reads it
    ijk = np.rint(np.linalg.inv(oblique.ijk_to_ras) @ np.append(POINT_RAS, 1.0))[:3].astype(int)
    centre, value = (oblique.ijk_to_ras @ np.append(ijk, 1.0))[:3], oblique.values[tuple(ijk)]
    window.controller.set_crosshair(centre)
    window.controller.set_crosshair_shown(False)
    layer.window, layer.level = 3.0 * abs(value), value   # the voxel's value red-yellow
    view, geom = _view(window, plane)
    x, y = np.floor(geom.ras_to_pixel(centre)).astype(int)
    np.testing.assert_allclose(grab(view)[y, x], hot_colors(value, layer.window, layer.level),
                               atol=12)
    assert f"overlay {value:.0f}" in window.controller.readout(centre)
    window.controller.set_crosshair_shown(True)

    layer.set_opacity(0.0)   # opacity 0: the T1 alone, as before the overlay
    window.controller.set_crosshair(window.controller.voxel_centre(POINT_RAS))
    view, _ = _view(window, plane)
    np.testing.assert_array_equal(grab(view), before)


def test_keys_hide_show_and_step_the_opacity(qtbot, window, study):
    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    view, _ = _view(window, "axial")
    before = grab(view)
    _overlay(qtbot, window, oblique.folder)
    layer = window.controller.state.fusion
    assert layer.opacity == 0.5
    view, _ = _view(window, "axial")
    blended = grab(view)
    assert np.abs(blended.astype(int) - before).max() > 50
    shortcut(qtbot, window, Qt.Key_O)                                     # O: hidden
    assert not layer.visible and not window.fusion.show_action.isChecked()
    view, _ = _view(window, "axial")
    np.testing.assert_array_equal(grab(view), before)
    shortcut(qtbot, window, Qt.Key_O)                                     # O: shown again
    assert layer.visible
    shortcut(qtbot, window, Qt.Key_O, Qt.ShiftModifier)                   # Shift+O: more opaque
    assert layer.opacity == pytest.approx(0.6)
    assert window.display_panel.fusion_row.opacity_slider.value() == 60
    shortcut(qtbot, window, Qt.Key_O, Qt.AltModifier)                     # Alt+O: less
    shortcut(qtbot, window, Qt.Key_O, Qt.AltModifier)
    assert layer.opacity == pytest.approx(0.4)
    window.display_panel.fusion_row.opacity_slider.setValue(100)          # the Display panel's
    assert layer.opacity == 1.0
    view, _ = _view(window, "axial")
    assert (np.ptp(grab(view), axis=2) > 2).mean() > 0.2                  # hot: coloured
    colours = window.display_panel.fusion_row.colours_box
    colours.setCurrentIndex(colours.findData("grey"))
    colours.activated.emit(colours.currentIndex())
    assert layer.colours == "grey"
    view, _ = _view(window, "axial")
    assert (np.ptp(grab(view), axis=2) > 2).mean() < 0.03       # grey: the crosshair and text left
    # the notice shown when it was laid says nothing the keys and the panel changed since ("in
    # hot colours at 50 %" stayed over a grey overlay at 100 %)
    assert window.notice_bar.text.startswith("Overlay: OBL FLAIR (O hides it")
    assert "hot" not in window.notice_bar.text and "%" not in window.notice_bar.text
    window.display_panel.fusion_row.wl_boxes.apply(200.0, 100.0)          # its own window
    assert (layer.window, layer.level) == (200.0, 100.0)
    assert window.controller.state.window != 200.0                         # the T1's is its own


def test_another_frame_of_reference_is_refused_unless_confirmed(qtbot, window, study):
    axial, _oblique, other = study
    open_image(qtbot, window, axial.folder)
    _overlay(qtbot, window, other.folder)
    assert window.controller.state.fusion is None
    bar = window.notice_bar
    assert "another frame of reference" in bar.text and "Nothing overlaid" in bar.text
    bar.buttons["Overlay anyway"].click()
    assert window.controller.state.fusion is not None


def test_a_file_that_is_no_image_is_said_in_one_line(qtbot, window, study, tmp_path):
    axial, _oblique, _other = study
    open_image(qtbot, window, axial.folder)
    broken = tmp_path / "flair.nii.gz"
    broken.write_bytes(b"not a NIfTI")
    _overlay(qtbot, window, broken)
    qtbot.waitUntil(lambda: "flair.nii.gz" in window.message_bar.text, timeout=10000)
    assert window.message_bar.text.startswith("Overlay series: ")
    assert "\n" not in window.message_bar.text.strip()
    assert window.controller.state.fusion is None and window.controller.volume.description == "AX T1"


def test_another_image_drops_the_overlay(qtbot, window, study):
    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    _overlay(qtbot, window, oblique.folder)
    assert window.controller.state.fusion is not None
    open_image(qtbot, window, oblique.folder)
    qtbot.waitUntil(lambda: window.controller.volume.description == "OBL FLAIR", timeout=30000)
    assert window.controller.state.fusion is None
    assert not window.fusion.show_action.isEnabled()
    assert not window.display_panel.fusion_row.isVisibleTo(window.display_panel)


def test_labels_drawn_on_the_overlay_series_are_offered_resampled(qtbot, window, study, tmp_path):
    """The FLAIR's lesion labels loaded on the T1 asked "another case's labels?" (their sidecar
    names the FLAIR's voxels); with the FLAIR overlaid, whose grid they lie on, the question
    names it and offers them resampled onto the T1 (nearest voxel, in world space)."""
    from editor_helpers import wait_for_session

    from neuroview.app.label_files import save_label_files
    from neuroview.core.labels import LabelMap
    from neuroview.io import load

    axial, oblique, _other = study
    flair = load(oblique.folder)
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in flair.shape], indexing="ij"), axis=-1)
    ball = np.linalg.norm(ijk @ flair.ijk_to_ras[:3, :3].T + flair.ijk_to_ras[:3, 3] - POINT_RAS,
                          axis=-1) < 10.0
    labels = LabelMap.from_array(ball.astype(np.uint8), flair.ijk_to_ras, names={1: "lesion"})
    path = save_label_files(labels, flair.ijk_to_ras, tmp_path / "flair-labels.nii.gz",
                            image_key=flair.workspace_key())
    open_image(qtbot, window, axial.folder)
    session = wait_for_session(qtbot, window)
    bar = window.notice_bar
    window.open_labels(path)                       # no overlay: the question as before
    qtbot.waitUntil(lambda: "Load anyway" in bar.buttons, timeout=30000)
    assert "another case's labels?" in bar.text
    bar.buttons["Cancel"].click()

    _overlay(qtbot, window, oblique.folder)
    window.open_labels(path)
    qtbot.waitUntil(lambda: "Resample onto this image" in bar.buttons, timeout=30000)
    assert bar.text == ("flair-labels.nii.gz was drawn on OBL FLAIR, another series of this "
                        "study (same frame of reference): resample onto this image?")
    assert not session.labels.array.any()          # nothing loaded before the answer
    bar.buttons["Resample onto this image"].click()
    qtbot.waitUntil(lambda: session.labels.array.any(), timeout=30000)
    t1 = window.controller.volume
    centres = np.stack(np.meshgrid(*[np.arange(n) for n in t1.shape], indexing="ij"), axis=-1)
    centres = centres @ t1.ijk_to_ras[:3, :3].T + t1.ijk_to_ras[:3, 3]
    inverse = np.linalg.inv(flair.ijk_to_ras)
    at = np.rint(centres @ inverse[:3, :3].T + inverse[:3, 3]).astype(int)
    inside = np.all((at >= 0) & (at < np.array(flair.shape)), axis=-1)
    expected = np.zeros(t1.shape, bool)
    expected[inside] = ball[tuple(at[inside].T)]
    assert expected.sum() > 50
    assert np.count_nonzero(session.labels.array.astype(bool) != expected) <= 2   # rounding ties
    assert session.labels.array[t1.ras_to_voxel(POINT_RAS)] == 1


def test_the_last_series_picked_counts(qtbot, window, study):
    """A pick made while the one before is still read replaces it: the earlier one's end does not
    lay it over the image afterwards."""
    axial, oblique, other = study
    open_image(qtbot, window, axial.folder)
    window.fusion.overlay_path(oblique.folder)
    window.fusion.overlay_path(other.folder)      # another session's FLAIR: refused
    qtbot.waitUntil(lambda: "Nothing overlaid" in window.notice_bar.text, timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    qtbot.wait(100)
    assert window.controller.state.fusion is None
    assert "Nothing overlaid" in window.notice_bar.text


def _labels_centre(labels, volume):
    ijk = np.argwhere(labels.array > 0)
    return (ijk @ volume.ijk_to_ras[:3, :3].T + volume.ijk_to_ras[:3, 3]).mean(axis=0)


@pytest.mark.parametrize("name, answer", [("flair-labels.nii.gz", "Resample onto this image"),
                                          ("flair-seg.dcm", "Load onto this image")])
def test_labels_saved_on_a_series_are_offered_to_another_of_its_study(qtbot, window, study,
                                                                      tmp_path, name, answer):
    """Labels painted and saved on the FLAIR name its study's frame of reference (a NIfTI's
    sidecar, hashed; a DICOM SEG, with the FLAIR's series): loaded on the T1 of that study, with
    nothing overlaid, they are offered, not asked about as another case's; they land where they
    were painted in the patient."""
    from editor_helpers import save_and_wait, stroke, wait_for_session

    axial, oblique, _other = study
    open_image(qtbot, window, oblique.folder)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(window.controller.voxel_centre(POINT_RAS))
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=6, mode="3d")
    stroke(window, "axial", [POINT_RAS, POINT_RAS + [6.0, 0, 0]])
    assert session.labels.array.sum() > 10
    painted_centre = _labels_centre(session.labels, window.controller.volume)
    saved = save_and_wait(window, tmp_path / name, seg=name.endswith(".dcm"))

    open_image(qtbot, window, axial.folder)
    t1_session = wait_for_session(qtbot, window)
    bar = window.notice_bar
    window.open_labels(saved)
    qtbot.waitUntil(lambda: answer in bar.buttons, timeout=30000)
    assert bar.text == (f"{name} was drawn on another series of this study (same frame of "
                        f"reference): {answer.lower()}?")
    assert not t1_session.labels.array.any()
    bar.buttons[answer].click()
    qtbot.waitUntil(lambda: t1_session.labels.array.any(), timeout=30000)
    centre = _labels_centre(t1_session.labels, window.controller.volume)
    assert np.linalg.norm(centre - painted_centre) < 3.0   # within a T1 voxel (3 x 3 x 4 mm)


def test_a_metaimage_file_is_the_overlay_not_its_folder(qtbot, window, study, tmp_path):
    """A .mha picked (SimpleITK's writing of the FLAIR, beside the T1's .mha in one folder) is the
    overlay itself: its folder was scanned instead, and the series chooser asked which of the two.
    It names no frame of reference, so Overlay anyway lays it, with the FLAIR's values."""
    import SimpleITK as sitk

    axial, oblique, _other = study
    for name, written in (("t1.mha", axial), ("flair.mha", oblique)):
        reader = sitk.ImageSeriesReader()
        reader.SetFileNames([str(f) for f in written.files])
        image = reader.Execute()
        sitk.WriteImage(image, str(tmp_path / name))
    open_image(qtbot, window, axial.folder)
    _overlay(qtbot, window, tmp_path / "flair.mha")
    assert window.fusion.chooser is None
    bar = window.notice_bar
    assert "flair" in bar.text and "no DICOM frame of reference" in bar.text
    bar.buttons["Overlay anyway"].click()
    layer = window.controller.state.fusion
    assert layer is not None and layer.volume.shape == oblique.values.shape
    ijk = np.rint(np.linalg.inv(oblique.ijk_to_ras) @ np.append(POINT_RAS, 1.0))[:3].astype(int)
    centre = (oblique.ijk_to_ras @ np.append(ijk, 1.0))[:3]
    assert layer.value_at(centre) == oblique.values[tuple(ijk)]


def test_an_image_naming_no_frame_is_said_to_be_the_one(qtbot, window, study, tmp_path):
    """The T1 opened as a NIfTI (no frame of reference), the DICOM FLAIR overlaid: the refusal is
    about the image under it, not the FLAIR (it said 'OBL FLAIR names no DICOM frame of
    reference', which the FLAIR does)."""
    from neuroview.io.nifti import save_nifti

    axial, oblique, _other = study
    save_nifti(axial.values.astype(np.float32), axial.ijk_to_ras, tmp_path / "t1.nii.gz")
    open_image(qtbot, window, tmp_path / "t1.nii.gz")
    _overlay(qtbot, window, oblique.folder)
    bar = window.notice_bar
    assert bar.text.startswith("OBL FLAIR lies over an image that names no DICOM frame of reference")
    assert window.controller.state.fusion is None
    bar.buttons["Overlay anyway"].click()
    assert window.controller.state.fusion.volume.description == "OBL FLAIR"


def test_enter_in_the_overlay_window_box_gives_the_keys_back_to_the_view(qtbot, window, study):
    """The overlay's typed Window/Level boxes behave as the image's: Enter applies and hands Up/Down
    back to the view (they went on stepping the overlay's window by 1), Esc drops a value typed,
    and a width of 0 is said in one line (it was drawn at 0.1 with no word)."""
    from key_presses import type_key
    from PySide6.QtWidgets import QApplication

    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    _overlay(qtbot, window, oblique.folder)
    layer, state = window.controller.state.fusion, window.controller.state
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton)
    view = window.slice_views[window.controller.active_view]
    box = window.display_panel.fusion_row.window_box
    for text, key in (("321", Qt.Key_Return), ("999", Qt.Key_Escape)):
        qtbot.mouseClick(box.lineEdit(), Qt.LeftButton)
        box.lineEdit().selectAll()
        qtbot.keyClicks(box.lineEdit(), text)
        type_key(window, key)
        assert layer.window == 321.0 and QApplication.focusWidget() is view
    z0 = state.crosshair_ras[2]
    type_key(window, Qt.Key_Down)
    assert layer.window == 321.0 and box.value() == 321.0
    assert not np.isclose(state.crosshair_ras[2], z0)
    qtbot.mouseClick(box.lineEdit(), Qt.LeftButton)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "0")
    type_key(window, Qt.Key_Return)
    assert layer.window == 0.1
    assert window.notice_bar.text == "Window width 0 draws nothing: drawn at the smallest width, 0.1"


def test_an_overlay_of_small_values_leaves_the_display_panel_whole(qtbot, window, study, tmp_path):
    """An ADC-like overlay (values near 0.001: its Window/Level boxes with six decimals, one row)
    widens the Display panel's dock instead of cutting its right side off: the Level box and the
    Slab row's last box lay past the dock's edge, half hidden, with no horizontal bar."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    from neuroview.io.nifti import save_nifti

    axial, _oblique, _other = study
    save_nifti((axial.values * 1e-6).astype(np.float32), axial.ijk_to_ras, tmp_path / "adc.nii.gz")
    open_image(qtbot, window, axial.folder)
    _overlay(qtbot, window, tmp_path / "adc.nii.gz")
    window.notice_bar.buttons["Overlay anyway"].click()
    panel = window.display_panel
    assert panel.fusion_row.window_box.text().startswith("0.00")
    QApplication.processEvents()
    qtbot.wait(50)
    viewport = panel.parentWidget()
    for box in (panel.fusion_row.level_box, panel.slab_row.view_box, panel.level_box):
        right = box.mapTo(viewport, QPoint(box.width(), 0)).x()
        assert right <= viewport.width(), (box.toolTip()[:30], right, viewport.width())


def test_remove_overlay_gives_the_image_back(qtbot, window, study):
    """*View > Other series > Remove overlay*: the views show the image alone as before it, the
    overlay's rows and
    keys go, and the notice that laid it no longer says "O hides it" of an overlay not there."""
    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    view, _ = _view(window, "axial")
    before = grab(view)
    _overlay(qtbot, window, oblique.folder)
    assert window.notice_bar.text.startswith("Overlay: OBL FLAIR (O hides it")
    window.fusion.remove_action.trigger()
    assert window.controller.state.fusion is None
    view, _ = _view(window, "axial")
    np.testing.assert_array_equal(grab(view), before)
    assert not window.fusion.show_action.isEnabled() and not window.fusion.remove_action.isEnabled()
    assert not window.display_panel.fusion_row.isVisibleTo(window.display_panel)
    assert "O hides it" not in window.notice_bar.text
    assert window.notice_bar.text == "Overlay OBL FLAIR removed."


def test_an_overlay_lying_nowhere_over_the_image_is_said(qtbot, window, study, tmp_path):
    """Overlay anyway of a NIfTI whose header places it 500 mm away (a file saved in voxel
    coordinates, another space): nothing of it shows, and the notice now says why (it said only
    'Overlay: moved500 (O hides it ...)'); one 60 mm off, over part of the image, is not said to."""
    from neuroview.io.nifti import save_nifti

    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    for shift, apart in ((500.0, True), (60.0, False)):
        affine = oblique.ijk_to_ras.copy()
        affine[:3, 3] += shift
        save_nifti(oblique.values.astype(np.float32), affine, tmp_path / f"moved{shift:.0f}.nii.gz")
        _overlay(qtbot, window, tmp_path / f"moved{shift:.0f}.nii.gz")
        window.notice_bar.buttons["Overlay anyway"].click()
        assert window.controller.state.fusion is not None
        said = window.notice_bar.text.startswith(f"Overlay: moved{shift:.0f} lies nowhere over the image")
        assert said == apart, window.notice_bar.text


def test_a_dicom_file_in_a_folder_of_several_series_is_its_own(qtbot, window, study, tmp_path):
    """A file picked in a folder holding two series (as a CD's DICOM folder holds a study) is its
    own series, laid at once: the series chooser asked which of the folder's two to overlay. The
    file of the other frame's series is refused as that series."""
    import shutil

    axial, oblique, other = study
    for prefix, written in (("a_", oblique), ("b_", other)):
        for file in written.files:
            shutil.copy(file, tmp_path / f"{prefix}{file.name}")
    open_image(qtbot, window, axial.folder)
    _overlay(qtbot, window, tmp_path / f"a_{oblique.files[3].name}")
    assert window.fusion.chooser is None
    layer = window.controller.state.fusion
    assert layer is not None and layer.volume.shape == oblique.values.shape
    _overlay(qtbot, window, tmp_path / f"b_{other.files[3].name}")
    assert window.fusion.chooser is None and "another frame of reference" in window.notice_bar.text


@pytest.mark.parametrize("picked", ["notes.txt", "/dev/null"])
def test_a_file_that_is_not_an_image_is_refused_not_its_folder(qtbot, window, study, tmp_path,
                                                               picked, monkeypatch):
    """A note beside a DICOM series, or ``/dev/null``, picked in *View > Other series > Overlay
    series...*'s file dialog, is refused in ``neuroview info``'s line for it, nothing overlaid:
    its folder was scanned instead (the note overlaid the series beside it without a word;
    ``/dev/null`` scanned ``/dev``). The menu item itself failed (``KeyError: False``): its
    action's ``checked`` was taken for what the series is for."""
    import shutil

    from PySide6.QtWidgets import QFileDialog

    axial, oblique, _other = study
    for file in oblique.files:
        shutil.copy(file, tmp_path / file.name)
    (tmp_path / "notes.txt").write_text("FLAIR: motion in the last slices\n")
    path = picked if picked.startswith("/") else str(tmp_path / picked)
    problem = ("is a device, not an image file" if picked.startswith("/")
               else "not a DICOM, NIfTI, MGH, NRRD or MetaImage file")
    open_image(qtbot, window, axial.folder)
    captions = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda _parent, caption, *_rest: (captions.append(caption), (path, ""))[1])
    window.fusion.add_action.trigger()   # as a click on the menu item
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    qtbot.waitUntil(lambda: window.message_bar.text != "", timeout=10000)
    assert captions == ["Overlay series"]
    assert window.message_bar.text.strip() == f"Overlay series: {path}: {problem}"
    assert window.controller.state.fusion is None and window.fusion.chooser is None
