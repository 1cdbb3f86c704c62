"""The series chooser offers the uneven-slices choice (issue 11.6): a CT with steps of 4.2, 1.1
and 7.4 mm opens resampled onto an even grid by default; one click on 'Split' lists its evenly
spaced runs, and the run clicked opens with every slice at its acquired position and values."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

OFFSETS = (0, 4.2, 5.3, 12.7, 16.9, 18.0)  # steps 4.2, 1.1, 7.4, 4.2, 1.1 mm


@pytest.fixture(scope="module")
def uneven_ct(tmp_path_factory, mni_volume):
    spec = SeriesSpec(modality="CT", slice_offsets=OFFSETS, n_slices=len(OFFSETS),
                      slice_step=2.0)
    return write_series(tmp_path_factory.mktemp("uneven") / "ct", mni_volume, spec)


def _open_dialog(qtbot, window, folder):
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    return window.series_dialog


def _click_row(qtbot, dialog, row: int) -> None:
    rect = dialog.list.visualItemRect(dialog.list.item(row))
    qtbot.mouseClick(dialog.list.viewport(), Qt.LeftButton, pos=rect.center())


def _click_open(qtbot, dialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.Open), Qt.LeftButton)


def _loaded(qtbot, window, n_slices: int):
    qtbot.waitUntil(lambda: window.controller.volume is not None
                    and window.controller.volume.shape[2] == n_slices, timeout=30000)
    return window.controller.volume


def test_uneven_series_defaults_to_resample_and_split_opens_a_run(qtbot, window, uneven_ct):
    # one series, but uneven: the chooser is shown, with 'resample' chosen
    dialog = _open_dialog(qtbot, window, uneven_ct.folder)
    assert dialog.resample_button.isChecked() and not dialog.split_button.isChecked()
    assert dialog.list.count() == 1 and "56x64x18" in dialog.list.item(0).text()
    assert "resampled (linear)" in dialog.list.item(0).text()
    _click_open(qtbot, dialog)
    volume = _loaded(qtbot, window, 18)
    assert volume.spacing[2] <= 1.1 + 1e-6  # an even grid at the smallest acquired step
    np.testing.assert_array_equal(volume.array[:, :, 0], uneven_ct.values[:, :, 0])
    np.testing.assert_array_equal(volume.array[:, :, -1], uneven_ct.values[:, :, -1])

    # split: the three evenly spaced runs (slices 1-2, 3-4, 5-6); open the second one
    dialog = _open_dialog(qtbot, window, uneven_ct.folder)
    qtbot.mouseClick(dialog.split_button, Qt.LeftButton)
    assert dialog.split_button.isChecked()
    texts = [dialog.list.item(n).text() for n in range(dialog.list.count())]
    assert len(texts) == 3 and all("chunk" in t for t in texts)
    row = next(n for n, t in enumerate(texts) if "slices 3-4" in t)
    _click_row(qtbot, dialog, row)
    _click_open(qtbot, dialog)
    volume = _loaded(qtbot, window, 2)
    np.testing.assert_array_equal(np.asarray(volume.array), uneven_ct.values[:, :, 2:4])
    corners = volume.ijk_to_ras_points(np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))
    np.testing.assert_allclose(corners * [-1, -1, 1], uneven_ct.positions_lps[2:4], atol=1e-4)


def test_even_series_alone_opens_without_the_chooser(qtbot, window, tmp_path, mni_volume):
    written = write_series(tmp_path / "even", mni_volume, SeriesSpec(modality="CT", n_slices=6))
    window.open_paths([written.folder])
    volume = _loaded(qtbot, window, 6)
    assert window.series_dialog is None
    np.testing.assert_array_equal(np.asarray(volume.array), written.values)


def test_sparse_series_defaults_to_split_and_resample_opens_the_grid(qtbot, window, tmp_path,
                                                                      mni_volume):
    # one slice, then three 2 mm apart 40 mm further on (pydicom's 'Routine Brain' in small):
    # a 2 mm grid would be 23 slices made from 4, so 'split' is chosen first
    spec = SeriesSpec(modality="CT", slice_offsets=(0, 40, 42, 44), n_slices=4, slice_step=2.0)
    sparse = write_series(tmp_path / "sparse", mni_volume, spec)
    dialog = _open_dialog(qtbot, window, sparse.folder)
    assert dialog.split_button.isChecked() and not dialog.resample_button.isChecked()
    texts = [dialog.list.item(n).text() for n in range(dialog.list.count())]
    assert len(texts) == 2 and all("kept as acquired" in t for t in texts)
    row = next(n for n, t in enumerate(texts) if "slices 2-4" in t)
    _click_row(qtbot, dialog, row)
    _click_open(qtbot, dialog)
    volume = _loaded(qtbot, window, 3)
    np.testing.assert_array_equal(np.asarray(volume.array), sparse.values[:, :, 1:])

    # asked for, the grid: one series of 23 slices, the acquired ones on it
    dialog = _open_dialog(qtbot, window, sparse.folder)
    qtbot.mouseClick(dialog.resample_button, Qt.LeftButton)
    assert dialog.resample_button.isChecked()
    assert dialog.list.count() == 1 and "56x64x23" in dialog.list.item(0).text()
    _click_open(qtbot, dialog)
    volume = _loaded(qtbot, window, 23)
    for k, index in enumerate((0, 20, 21, 22)):
        np.testing.assert_array_equal(volume.array[:, :, index], sparse.values[:, :, k])


def test_chooser_names_the_truncated_file_that_left_a_gap(qtbot, window, tmp_path, mni_volume):
    """A truncated file in the middle of a series leaves a gap, and the chooser comes up for the
    uneven spacing: it says which file was left out and why, before the user picks (it only
    said 'uneven slice spacing'; the file was named once the image was open)."""
    series = write_series(tmp_path / "ct", mni_volume, SeriesSpec(modality="CT", n_slices=8))
    damaged = series.files[4]
    damaged.write_bytes(damaged.read_bytes()[:-500])
    dialog = _open_dialog(qtbot, window, series.folder)
    heading = dialog.heading.text()
    # by name and folder, as the red bar names it
    assert f"1 file left out: skipped {damaged.name} in …/ct: " in heading and "truncated" in heading
    assert "1 missing slice" in dialog.list.item(0).text()
    _click_open(qtbot, dialog)
    _loaded(qtbot, window, 8)
    assert str(damaged) in window.message_bar.text   # and again once it is open
