"""The series on screen opened again by mistake (File > Open on the study being read, a second
drop, File > Recent) stays as it is, its rulers, angles, slice and window with it, and the status
line says it is already open: until session 38 it loaded again, and the rulers and angles drawn
on it went (a radiologist's walk: a ruler, then the study's folder opened again)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import open_image, write_image
from measure_drawing import drag

from neuroview.io.nifti import save_nifti

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from window_files import classic_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _ruler_and_scroll(qtbot, window):
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (60, 120), (200, 120))
    window.controller.state.set_window_level(345.0, 123.0)
    assert len(window.controller.rulers) == 1


def _opened_again(qtbot, window, path):
    shown = window.controller.volume
    window.open_paths([path])
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    return shown


def test_a_dicom_series_opened_again_keeps_its_ruler_and_window(qtbot, window, tmp_path):
    folder = classic_series(tmp_path / "t1", 300, 1000, n_slices=6)
    open_image(qtbot, window, folder)
    _ruler_and_scroll(qtbot, window)
    lines = [window.measurements.item(i).text() for i in range(window.measurements.count())]
    shown = _opened_again(qtbot, window, folder)
    assert window.controller.volume is shown
    assert len(window.controller.rulers) == 1
    assert [window.measurements.item(i).text()
            for i in range(window.measurements.count())] == lines
    state = window.controller.state
    assert (state.window, state.level) == (345.0, 123.0)
    assert "is already open" in window.statusBar().currentMessage()


def test_another_file_of_the_same_voxels_still_replaces_it(qtbot, window, tmp_path):
    first, _ = write_image(tmp_path, "first")
    second, _ = write_image(tmp_path, "second")   # the same voxels, another file
    open_image(qtbot, window, first)
    _ruler_and_scroll(qtbot, window)
    shown = _opened_again(qtbot, window, first)
    assert window.controller.volume is shown and len(window.controller.rulers) == 1
    (ruler,) = window.controller.rulers
    _opened_again(qtbot, window, second)
    assert window.controller.volume is not shown
    # the same image (voxels and placement) gets its ruler back, as its views (since session 49)
    (again,) = window.controller.rulers
    assert again is not ruler and np.array_equal(again.points, ruler.points)
    assert window.windowTitle().endswith("second.nii.gz") or "second" in window.windowTitle()


def test_the_already_open_word_goes_when_an_image_replaces_it(qtbot, window, tmp_path):
    """The word "A is already open: its views ... stay as they are" went on saying so for its 15 s
    under the image that replaced them: the same file rewritten since (read again: other voxels)
    or another file opened at once."""
    first, volume = write_image(tmp_path, "first")
    second, _ = write_image(tmp_path, "second", affine_name="lps")
    open_image(qtbot, window, first)
    _opened_again(qtbot, window, first)
    assert "is already open" in window.statusBar().currentMessage()
    save_nifti(volume.array[:, ::-1] + 7, volume.ijk_to_ras, first)   # rewritten: other voxels
    shown = _opened_again(qtbot, window, first)
    assert window.controller.volume is not shown   # read again and shown
    assert "already open" not in window.statusBar().currentMessage()
    _opened_again(qtbot, window, first)
    assert "is already open" in window.statusBar().currentMessage()
    _opened_again(qtbot, window, second)
    assert "second" in window.windowTitle()
    assert "already open" not in window.statusBar().currentMessage()
