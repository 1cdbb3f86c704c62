"""The status bar names the pointer's voxel value in full: a whole number of 7 digits or more
(a PET's counts, an int32 image) read as ``1.0098e+06`` (``.6g``), 1009800 for a voxel of
1009805, the value of no voxel of the image."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import open_image

from neuroview.app.view_presets import shown_value

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_values_as_the_status_bar_shows_them():
    assert shown_value(np.int32(1009805)) == "1009805"
    assert shown_value(np.float32(1009805.0)) == "1009805"
    assert shown_value(np.uint16(65535)) == "65535"
    assert shown_value(np.int8(-128)) == "-128"
    assert shown_value(1234567.875) == "1234567.9"
    assert shown_value(np.float32(0.000123456)) == "0.000123456"
    assert shown_value(-3.25) == "-3.25"
    assert shown_value(float("nan")) == "nan"
    assert shown_value(float("-inf")) == "-inf"


def test_the_readout_shows_the_voxel_of_an_int32_image_in_full(qtbot, window, tmp_path):
    i, j, k = np.meshgrid(np.arange(12), np.arange(10), np.arange(6), indexing="ij")
    ids = (1_000_000 + i * 10000 + j * 100 + k).astype(np.int32)
    nib.save(nib.Nifti1Image(ids, np.diag([1.5, 1.5, 3.0, 1.0])), tmp_path / "ids.nii.gz")
    open_image(qtbot, window, tmp_path / "ids.nii.gz")
    volume = window.controller.volume
    p_ras = volume.ijk_to_ras_points(np.array([9.0, 8.0, 5.0]))
    assert window.controller.readout(p_ras).endswith(f"value {ids[9, 8, 5]}")   # 1090805
