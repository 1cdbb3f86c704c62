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
