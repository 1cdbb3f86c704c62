"""``neuroview snapshot --view four-up`` of a float image whose every voxel is NaN draws the
three slice views with the 3D tile left dark, and says why in one line, as the window shows
its slice views with a notice. It refused the whole picture: `error: every voxel of the image is
NaN or infinite: nothing to render`, while `--view axial` drew."""

from __future__ import annotations

import numpy as np

from neuroview.io.nifti import save_nifti
from neuroview.render.png import read_png
from neuroview.render.slices import LETTER_COLOR


def test_four_up_of_an_all_nan_image_draws_the_slice_views(cli, tmp_path):
    save_nifti(np.full((20, 24, 16), np.nan, np.float32), np.eye(4), tmp_path / "nan.nii.gz")
    out = tmp_path / "four.png"
    result = cli("snapshot", tmp_path / "nan.nii.gz", "--view", "four-up", "--size", "200x160",
                 "--out", out, env={"DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    assert (f"note: {tmp_path / 'nan.nii.gz'}: 3D view not drawn (every voxel of the image is NaN "
            "or infinite") in result.stderr
    assert "Warning" not in result.stderr   # no Python warning line either
    rgb = read_png(out)
    assert rgb.shape[:2] == (160, 200)
    letters = np.all(rgb == LETTER_COLOR, axis=2)
    assert letters[:80, :100].any() and letters[80:, :100].any() and letters[80:, 100:].any()
    assert not rgb[5:75, 105:195].any()   # the 3D tile: dark (inside the grid lines)
