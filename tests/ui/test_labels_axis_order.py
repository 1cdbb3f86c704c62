"""*File > Load labels* of a mask of the image's own voxels stored with its slices in the other order
(the s47 walk: a sagittal Siemens series, which neuroview sorts right to left, and its mask saved
left to right, the affine saying so) takes the voxels as they are, and *Open follow-up* then fills
that file in as the study's lesion mask. It was resampled (nearest neighbour, the same voxels) with
the notice "lies on another grid: it was resampled onto the image grid", and the labels counted
as in no file: the follow-up dialog left the mask empty, for the model to make a new one."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import open_image, wait_for_session

from neuroview.io.nifti import save_nifti
from tests.followup_menu import through_the_menu

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_mask_stored_with_its_slices_reversed_is_the_file_on_screen(qtbot, window, tmp_path,
                                                                     mni_volume):
    series = write_series(tmp_path / "sag", mni_volume, SeriesSpec(
        orientation="sagittal", rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
        slice_step=8.0))
    open_image(qtbot, window, series.folder)
    session = wait_for_session(qtbot, window)
    volume = window.controller.volume
    lesions = np.zeros(volume.shape, np.uint8)
    lesions[8:11, 9:12, 2:4] = 1
    mirrored = volume.ijk_to_ras.copy()      # the same voxels, the last axis stored reversed
    mirrored[:3, 3] += mirrored[:3, 2] * (volume.shape[2] - 1)
    mirrored[:3, 2] *= -1
    mask = tmp_path / "lesions.nii.gz"
    save_nifti(np.ascontiguousarray(lesions[:, :, ::-1]), mirrored, mask)

    window.edit_actions.load_labels(str(mask))
    qtbot.waitUntil(lambda: session.labels.array.any(), timeout=10000)

    assert np.array_equal(session.labels.array, lesions)
    assert "resampled" not in window.notice_bar.text
    fields = through_the_menu(qtbot, window, lambda dialog: dialog.edits["baseline_labels"].text())
    assert fields == str(mask)
