"""``editor_helpers.write_image`` writes the bytes it wrote first again (made and compressed once a
process): they must be what ``save_nifti`` writes for the case now, or the window tests would open
another file than the one they describe."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import write_image
from render_cases import AFFINES, make_case

from neuroview.io.nifti import save_nifti


@pytest.mark.parametrize("affine_name", ["ras", "oblique"])
def test_a_written_again_case_is_the_file_save_nifti_writes(tmp_path, affine_name):
    first, _ = write_image(tmp_path / "first", affine_name=affine_name)
    again, volume = write_image(tmp_path / "again", "other", affine_name=affine_name)
    made, _ = make_case(AFFINES[affine_name])
    fresh = save_nifti(made.array, made.ijk_to_ras, tmp_path / "fresh" / "case.nii.gz")
    assert again.read_bytes() == fresh.read_bytes() == first.read_bytes()
    assert again.name == "other.nii.gz" and again.stat().st_mode == fresh.stat().st_mode
    np.testing.assert_array_equal(volume.array, made.array)
    np.testing.assert_allclose(volume.ijk_to_ras, made.ijk_to_ras)
