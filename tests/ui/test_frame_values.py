"""A 4D NIfTI's notice names what the file says of the volume shown, as Slicer's sequence browser
shows each item's value: a DWI's b-value (FSL's ``.bval`` beside it, as dcm2niix writes it) and
a run's time from its start (the header's time between volumes, in its time unit). The notice
said "time point 2 of 7" alone, so b=0 and b=1000 volumes could not be told apart."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import shortcut
from frame_images import AFFINE, frames, open_and_wait
from PySide6.QtCore import Qt

from neuroview.ui.help_menu import shortcut_rows


def _save(path, data, unit="unknown", step=1.0):
    image = nib.Nifti1Image(data, AFFINE)
    image.header.set_xyzt_units("mm", unit)
    image.header["pixdim"][4] = step
    nib.save(image, path)
    return path


def test_a_dwi_names_each_volumes_b_value(qtbot, window, tmp_path):
    path = _save(tmp_path / "dwi.nii.gz", frames(), unit="sec", step=8.5)
    (tmp_path / "dwi.bval").write_text("0 1000 1000\n")
    open_and_wait(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "4D image: showing volume 1 of 3, b = 0 (" in bar.text
    box = window.display_panel.frame_box   # the same words beside the box, read while scrolling
    assert box.text() == "1 of 3, b = 0"
    shortcut(qtbot, window, Qt.Key_Right, Qt.AltModifier)
    assert "4D image: showing volume 2 of 3, b = 1000 (" in bar.text
    assert box.text() == "2 of 3, b = 1000"
    # a DWI's steps are volumes in every place the window names them (the row said Time point)
    assert row_label(window) == "Volume" and "or Volume in the Display panel" in bar.text
    rows = shortcut_rows(window.menuBar())
    assert ("View", "Next volume", "Alt+Right") in rows and ("View", "Previous volume", "Alt+Left") in rows
    assert "time point" not in bar.text.lower()


def row_label(window) -> str:
    panel = window.display_panel
    return panel.form.labelForField(panel.frame_box).text()


def test_a_run_names_each_time_points_time(qtbot, window, tmp_path):
    path = _save(tmp_path / "bold.nii.gz", frames(), unit="msec", step=2000.0)
    open_and_wait(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "4D image: showing time point 1 of 3, t = 0 s (" in bar.text
    assert window.display_panel.frame_box.text() == "1 of 3, t = 0 s"
    assert row_label(window) == "Time point" and "or Time point in the Display panel" in bar.text
    assert ("View", "Next time point", "Alt+Right") in shortcut_rows(window.menuBar())
    window.display_panel.frame_box.setValue(3)
    assert "4D image: showing time point 3 of 3, t = 4 s (" in bar.text
    assert window.display_panel.frame_box.text() == "3 of 3, t = 4 s"
    box = window.display_panel.frame_box   # a number typed over the words: that time point
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "2")
    qtbot.keyClick(box.lineEdit(), Qt.Key_Return)
    assert box.text() == "2 of 3, t = 2 s" and window.controller.state.frame == 1


def test_a_freesurfer_run_names_each_time_points_time(qtbot, window, tmp_path):
    """A 4D ``.mgz``'s TR (its footer, in ms, after the voxels) as a NIfTI's: it said nothing."""
    image = nib.MGHImage(frames(), AFFINE)
    image.header["tr"] = 2500.0
    nib.save(image, tmp_path / "bold.mgz")
    open_and_wait(qtbot, window, tmp_path / "bold.mgz")
    bar = window.notice_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "4D image: showing time point 1 of 3, t = 0 s (" in bar.text
    window.display_panel.frame_box.setValue(3)
    assert "4D image: showing time point 3 of 3, t = 5 s (" in bar.text
    assert window.display_panel.frame_box.text() == "3 of 3, t = 5 s"
    assert np.array_equal(np.asarray(window.controller.volume.frame(2)), frames()[..., 2])


def test_a_bval_file_of_another_length_is_said_and_left_out(qtbot, window, tmp_path):
    path = _save(tmp_path / "dwi.nii.gz", frames())
    (tmp_path / "dwi.bval").write_text("0 1000\n")
    open_and_wait(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "dwi.bval: 2 b-values for 3 volumes; the b-values are not shown" in bar.text
    assert "4D image: showing time point 1 of 3 (" in bar.text
    assert window.display_panel.frame_box.text() == "1 of 3"   # no b-value said there either
    assert np.array_equal(np.asarray(window.controller.volume.frame(1)), frames()[..., 1])


def _caption_pixels(rgb, box) -> int:
    """Pixels of the caption's grey-white (230, 230, 230) inside ``box`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    return int((np.abs(rgb[y0:y1, x0:x1].astype(int) - 230).max(axis=-1) < 30).sum())


def test_each_view_and_its_exported_picture_name_the_volume_shown(qtbot, window, tmp_path):
    """A line above the view's position caption, as a PACS viewer's corner names a diffusion
    image's b-value (the view's figures of a rectangle are those of the volume shown): the views
    and *Export view* named none until session 50, stepping from b=0 to b=1000 changed nothing but
    the grey."""
    from editor_helpers import grab

    from neuroview.render.png import read_png

    path = _save(tmp_path / "dwi.nii.gz", frames())
    (tmp_path / "dwi.bval").write_text("0 1000 1000\n")
    open_and_wait(qtbot, window, path)
    shortcut(qtbot, window, Qt.Key_Right, Qt.AltModifier)
    axial = window.slice_views["axial"]
    axial.repaint()
    drawn = {text[0]: box for box, text in axial._texts}
    time, position = drawn["volume 2 of 3, b = 1000"], drawn[window.controller.state.slice_label("axial")]
    assert time[3] <= position[1] and abs(time[0] - position[0]) <= 1   # right above it
    assert _caption_pixels(grab(axial), time) > 20
    window.export_view(tmp_path / "axial.png", "axial")
    assert _caption_pixels(read_png(tmp_path / "axial.png"), time) > 20
